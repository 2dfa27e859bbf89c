package io.cdisync.braze.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClientStats;
import io.cdisync.braze.BrazeException;
import io.cdisync.braze.BrazeResponse;
import io.cdisync.braze.ObjectError;
import io.cdisync.braze.RateLimit;
import io.cdisync.braze.Secret;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@code BrazeClient}: pacing, 429 waits, retries, in-flight bound, response parsing.
 * Not API: the public surface is {@code BrazeClient}.
 *
 * <p>One logical request ({@link Exchange}) holds an in-flight permit from {@link #send} until its
 * future completes. Each attempt (counted by the retry policy) goes through the bucket's pacer; a 429
 * is waited out inside the attempt and the same request is sent again, so it never uses up an attempt.
 */
public final class BrazeTransport implements AutoCloseable {
    /** Rate-limit buckets Braze keeps separately. */
    public enum Bucket { TRACK, DELETE, CATALOG }

    private static final Logger log = LoggerFactory.getLogger(BrazeTransport.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Shortest wait after a 429, whatever the headers say (the reset header has 1 s granularity). */
    private static final long MIN_RATE_LIMIT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final HttpUrl endpoint;
    private final Secret apiKey;
    private final OkHttpClient http;
    private final boolean ownsHttpResources;
    private final ScheduledExecutorService scheduler;
    private final Semaphore inFlight;
    private final Retry retry;
    private final long maxRateLimitWaitNanos;
    private final Map<Bucket, RequestPacer> pacers = new EnumMap<>(Bucket.class);
    private final Set<Exchange> outstanding = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    public BrazeTransport(HttpUrl endpoint, Secret apiKey, int maxInFlight, int maxAttempts, Duration initialBackoff,
            Duration maxBackoff, Duration maxRateLimitWait, Duration callTimeout, RateLimit track, RateLimit delete,
            RateLimit catalog, OkHttpClient base, Clock clock) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.inFlight = new Semaphore(maxInFlight, true);
        this.maxRateLimitWaitNanos = maxRateLimitWait.toNanos();
        OkHttpClient.Builder builder;
        Dispatcher dispatcher;
        if (base == null) {
            builder = new OkHttpClient.Builder().connectionPool(new ConnectionPool(maxInFlight, 5, TimeUnit.MINUTES));
            dispatcher = new Dispatcher();
            ownsHttpResources = true;
        } else {
            // Share the caller's connection pool and threads, but with our own queue and bounds:
            // close() must not shut down what belongs to the caller.
            builder = base.newBuilder();
            dispatcher = new Dispatcher(base.dispatcher().executorService());
            ownsHttpResources = false;
        }
        dispatcher.setMaxRequests(maxInFlight);
        dispatcher.setMaxRequestsPerHost(maxInFlight);
        this.http = builder
                .dispatcher(dispatcher)
                .callTimeout(callTimeout)
                .connectTimeout(callTimeout.compareTo(Duration.ofSeconds(10)) < 0 ? callTimeout : Duration.ofSeconds(10))
                .readTimeout(callTimeout)
                .writeTimeout(callTimeout)
                // Every resend is our decision: counted, backed off and bounded by the retry policy.
                .retryOnConnectionFailure(false)
                .build();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "braze-client-scheduler-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        Backoff backoff = new Backoff(initialBackoff, maxBackoff);
        this.retry = Retry.of("braze", RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(backoff::millisBeforeRetry)
                .retryOnException(error -> !closed && isRetryable(error))
                .build());
        pacers.put(Bucket.TRACK, new RequestPacer(track, clock, maxRateLimitWait));
        pacers.put(Bucket.DELETE, new RequestPacer(delete, clock, maxRateLimitWait));
        pacers.put(Bucket.CATALOG, new RequestPacer(catalog, clock, maxRateLimitWait));
    }

    /** Sends a request with pacing, 429 waits and retries. Blocks while the in-flight bound is reached. */
    public CompletableFuture<BrazeResponse> send(Bucket bucket, String method, String path, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("request body cannot be serialized", e));
        }
        return send(bucket, method, path, bytes, bucket == Bucket.CATALOG ? itemIds(body) : Map.of());
    }

    /**
     * Sends a request whose body is already encoded, as {@link #send(Bucket, String, String, ObjectNode)}.
     *
     * @param itemIds catalog item id to index in {@code items}, for per-item errors; empty for other endpoints
     */
    public CompletableFuture<BrazeResponse> send(Bucket bucket, String method, String path, byte[] bytes,
            Map<String, Integer> itemIds) {
        String what = method + " " + path;
        if (closed) {
            return CompletableFuture.failedFuture(closedException(what, null));
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new BrazeException.Unavailable(
                    "interrupted while waiting to send " + what, 0, null, e));
        }
        Exchange exchange = new Exchange(bucket, method, path, bytes, itemIds);
        outstanding.add(exchange);
        if (closed) { // close() may have run between the check above and add()
            finish(exchange, null, closedException(what, null));
            return exchange.result;
        }
        CompletionStage<BrazeResponse> stage;
        try {
            stage = retry.executeCompletionStage(scheduler, () -> attempt(exchange));
        } catch (RuntimeException e) {
            finish(exchange, null, e);
            return exchange.result;
        }
        stage.whenComplete((response, error) -> finish(exchange, response, error));
        return exchange.result;
    }

    public BrazeClientStats stats() {
        return new BrazeClientStats(requests.get(), retries.get(), rateLimited.get(), failures.get());
    }

    /** Fails every outstanding request, stops the scheduler and cancels calls on the wire. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        Dispatcher dispatcher = http.dispatcher();
        dispatcher.cancelAll();
        // Requests waiting for a pacing slot, a 429 reset or a backoff sit in the scheduler's queue,
        // which shutdownNow() dropped: fail them here, or their futures would never complete.
        for (Exchange exchange : List.copyOf(outstanding)) {
            finish(exchange, null, closedException(exchange.method + " " + exchange.path, null));
        }
        if (ownsHttpResources) {
            dispatcher.executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** Completes a request once: releases its permit and counts it. */
    private void finish(Exchange exchange, BrazeResponse response, Throwable error) {
        if (!exchange.finished.compareAndSet(false, true)) {
            return;
        }
        outstanding.remove(exchange);
        inFlight.release();
        if (error == null) {
            exchange.result.complete(response);
            return;
        }
        failures.incrementAndGet();
        Throwable cause = unwrap(error);
        String what = exchange.method + " " + exchange.path;
        if (cause instanceof RejectedExecutionException) {
            cause = closedException(what, cause); // the scheduler or OkHttp's executor is shut down
        } else if (cause instanceof BrazeException.Unavailable unavailable && exchange.attempts.get() > 1 && !closed) {
            cause = new BrazeException.Unavailable(unavailable.getMessage() + " (gave up after "
                    + exchange.attempts.get() + " attempts)", unavailable.statusCode(), unavailable.requestId(), unavailable);
        }
        exchange.result.completeExceptionally(cause);
    }

    private CompletableFuture<BrazeResponse> attempt(Exchange exchange) {
        if (exchange.attempts.get() > 0) {
            retries.incrementAndGet();
        }
        exchange.attempts.incrementAndGet();
        CompletableFuture<BrazeResponse> future = new CompletableFuture<>();
        if (closed || exchange.finished.get()) {
            future.completeExceptionally(closedException(exchange.method + " " + exchange.path, null));
            return future;
        }
        sendPaced(exchange, future);
        return future;
    }

    private void sendPaced(Exchange exchange, CompletableFuture<BrazeResponse> future) {
        long delay = pacers.get(exchange.bucket).reserve();
        if (delay <= 0) {
            call(exchange, future);
        } else {
            schedule(() -> call(exchange, future), delay, exchange, future);
        }
    }

    private void schedule(Runnable task, long delayNanos, Exchange exchange, CompletableFuture<BrazeResponse> future) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(closedException(exchange.method + " " + exchange.path, e));
        }
    }

    private void call(Exchange exchange, CompletableFuture<BrazeResponse> future) {
        if (closed) {
            future.completeExceptionally(closedException(exchange.method + " " + exchange.path, null));
            return;
        }
        Request request = new Request.Builder()
                .url(endpoint.newBuilder().addEncodedPathSegments(exchange.path.substring(1)).build())
                .header("Authorization", "Bearer " + apiKey.reveal())
                .header("User-Agent", "cdi")
                .method(exchange.method, RequestBody.create(exchange.body, JSON_TYPE))
                .build();
        requests.incrementAndGet();
        long started = System.nanoTime();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                String error = apiKey.redact(e.toString());
                if (!closed) {
                    log.info("No answer from Braze to {} {} (attempt {}): {}", exchange.method, exchange.path,
                            exchange.attempts.get(), error);
                }
                future.completeExceptionally(new BrazeException.Unavailable("no answer from Braze to " + exchange.method + " "
                        + exchange.path + ": " + error, 0, null, e));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    String body = response.body().string();
                    log.debug("{} {} -> {} in {} ms", exchange.method, exchange.path, response.code(),
                            (System.nanoTime() - started) / 1_000_000);
                    handle(exchange, response, body, future);
                } catch (IOException | RuntimeException e) {
                    future.completeExceptionally(new BrazeException.Unavailable("unreadable answer from Braze to "
                            + exchange.method + " " + exchange.path + ": " + apiKey.redact(e.toString()), 0, null, e));
                }
            }
        });
    }

    private void handle(Exchange exchange, Response response, String body, CompletableFuture<BrazeResponse> future) {
        int status = response.code();
        String requestId = response.header("X-Request-Id");
        RequestPacer pacer = pacers.get(exchange.bucket);
        long reset = longHeader(response, "X-RateLimit-Reset");
        pacer.observe(longHeader(response, "X-RateLimit-Remaining"), reset);
        String what = exchange.method + " " + exchange.path;
        if (status == 429) {
            handleRateLimited(exchange, response, reset, requestId, future);
            return;
        }
        if (status >= 200 && status < 300) {
            future.complete(parse(status, body, exchange));
            return;
        }
        String message = apiKey.redact(brazeMessage(body));
        log.debug("Braze answered {} to {}{}", status, what, message.isEmpty() ? "" : ": " + message);
        if (status == 401 || status == 403) {
            future.completeExceptionally(new BrazeException.Unauthorized("Braze refused the API key for " + what + " ("
                    + status + (message.isEmpty() ? "" : ": " + message) + "); check the key, its permissions"
                    + " and that the endpoint is your workspace's instance", status, requestId));
        } else if (status >= 500 || status == 408) {
            log.info("Braze answered {} to {} (attempt {})", status, what, exchange.attempts.get());
            future.completeExceptionally(new BrazeException.Unavailable("Braze answered " + status + " to " + what
                    + (message.isEmpty() ? "" : ": " + message), status, requestId, null));
        } else {
            BrazeResponse perItem = status == 400 && exchange.bucket == Bucket.CATALOG ? parseItemErrors(status, body, exchange) : null;
            if (perItem != null) {
                future.complete(perItem);
            } else {
                future.completeExceptionally(new BrazeException.Rejected("Braze rejected " + what + " with " + status
                        + (message.isEmpty() ? "" : ": " + message), status, requestId, apiKey.redact(body)));
            }
        }
    }

    /** Waits out a 429 (without using up an attempt) and sends the same request again. */
    private void handleRateLimited(Exchange exchange, Response response, long reset, String requestId,
            CompletableFuture<BrazeResponse> future) {
        String what = exchange.method + " " + exchange.path;
        RequestPacer pacer = pacers.get(exchange.bucket);
        rateLimited.incrementAndGet();
        exchange.rateLimitedWaits.incrementAndGet();
        long retryAfter = longHeader(response, "X-RateLimit-Retry-After");
        if (retryAfter < 0) {
            retryAfter = longHeader(response, "Retry-After");
        }
        long wait;
        if (retryAfter >= 0) {
            wait = TimeUnit.SECONDS.toNanos(Math.min(retryAfter, TimeUnit.NANOSECONDS.toSeconds(maxRateLimitWaitNanos) + 1));
        } else if (reset > 0) {
            wait = pacer.nanosUntilReset(reset);
        } else {
            wait = TimeUnit.SECONDS.toNanos(1);
        }
        wait = Math.max(wait, MIN_RATE_LIMIT_WAIT_NANOS)
                + TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(10, 100));
        if (exchange.rateLimitWaitNanos + wait > maxRateLimitWaitNanos) {
            // Final: retrying it as a failed attempt would only send it into the same rate limit again.
            future.completeExceptionally(new Final(new BrazeException.Unavailable("Braze still answers 429 (rate limited) to "
                    + what + " after waiting " + Duration.ofNanos(exchange.rateLimitWaitNanos).toMillis()
                    + " ms; raise maxRateLimitWait or lower other traffic on this API key", 429, requestId, null)));
            return;
        }
        exchange.rateLimitWaitNanos += wait;
        pacer.pauseFor(wait);
        log.debug("{} rate limited; waiting {} ms for the window to reset", what, wait / 1_000_000);
        schedule(() -> sendPaced(exchange, future), wait, exchange, future);
    }

    private BrazeResponse parse(int status, String body, Exchange exchange) {
        JsonNode root = readTree(body);
        List<ObjectError> errors = new ArrayList<>();
        for (JsonNode error : root.path("errors")) {
            String message = error.hasNonNull("type") ? error.get("type").asText() : error.path("message").asText(null);
            String id = error.hasNonNull("id") ? error.get("id").asText() : null;
            int index = error.path("index").asInt(-1);
            if (index < 0 && id != null && exchange.itemIds.containsKey(id)) {
                index = exchange.itemIds.get(id);
            }
            errors.add(new ObjectError(error.path("input_array").asText(exchange.bucket == Bucket.CATALOG ? "items" : ""),
                    index, id, message));
        }
        return new BrazeResponse(status, root.path("message").asText(""), errors, exchange.attempts.get(),
                exchange.rateLimitedWaits.get());
    }

    /**
     * Catalog writes answer 400 with errors naming the items that are invalid. When every error names
     * items of the request, those are item errors and the answer is a {@link BrazeResponse}; otherwise
     * (no items named, e.g. {@code items-missing-ids} or {@code request-includes-too-many-items}) the
     * request as a whole was refused and this returns null.
     *
     * <p>Braze's shape is {@code {"id": "<error code>", "message": ..., "parameters": [...],
     * "parameter_values": ["<item id>", ...]}}; an error whose {@code id} is itself one of the request's
     * item ids is accepted too.
     */
    private BrazeResponse parseItemErrors(int status, String body, Exchange exchange) {
        JsonNode root = readTree(body);
        JsonNode array = root.path("errors");
        if (!array.isArray() || array.isEmpty()) {
            return null;
        }
        List<ObjectError> errors = new ArrayList<>();
        for (JsonNode error : array) {
            String code = error.path("id").asText("");
            String message = error.path("message").asText(null);
            JsonNode values = error.path("parameter_values");
            List<String> items = new ArrayList<>();
            if (values.isArray() && !values.isEmpty()) {
                for (JsonNode value : values) {
                    if (!exchange.itemIds.containsKey(value.asText())) {
                        return null; // names something other than an item of this request
                    }
                    items.add(value.asText());
                }
            } else if (exchange.itemIds.containsKey(code)) {
                items.add(code);
                code = "";
            } else {
                return null;
            }
            String reason = code.isEmpty() ? message : message == null ? code : code + ": " + message;
            for (String item : items) {
                errors.add(new ObjectError("items", exchange.itemIds.get(item), item, reason));
            }
        }
        return new BrazeResponse(status, root.path("message").asText(""), errors, exchange.attempts.get(),
                exchange.rateLimitedWaits.get());
    }

    /** Item id -> index in the request's {@code items} array. */
    private static Map<String, Integer> itemIds(ObjectNode body) {
        Map<String, Integer> ids = new HashMap<>();
        JsonNode items = body.path("items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode id = items.get(i).get("id");
            if (id != null && id.isValueNode()) {
                ids.putIfAbsent(id.asText(), i);
            }
        }
        return Map.copyOf(ids);
    }

    private static JsonNode readTree(String body) {
        try {
            JsonNode root = body == null || body.isBlank() ? null : JSON.readTree(body);
            return root == null ? JSON.createObjectNode() : root;
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static String brazeMessage(String body) {
        return readTree(body).path("message").asText("");
    }

    private static long longHeader(Response response, String name) {
        String value = response.header(name);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private BrazeException.Unavailable closedException(String what, Throwable cause) {
        return new BrazeException.Unavailable("the Braze client is closed; " + what + " was not completed", 0, null, cause);
    }

    private static boolean isRetryable(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof BrazeException e && e.retryable();
    }

    /** Wraps a failure that the retry policy must not retry although the caller may retry it later. */
    private static final class Final extends RuntimeException {
        Final(BrazeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof Final)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Exponential backoff with ±50% jitter that stays random at the cap (resilience4j's
     * {@code ofExponentialRandomBackoff} clips the jittered value to the maximum, so once the cap is
     * reached every client retries in lockstep), and accepts sub-millisecond settings.
     */
    static final class Backoff {
        private final long initialMillis;
        private final long maxMillis;

        Backoff(Duration initial, Duration max) {
            this.initialMillis = Math.max(1L, initial.toMillis());
            this.maxMillis = Math.max(1L, max.toMillis());
        }

        /** Milliseconds to wait after failed attempt {@code attempt} (1-based). */
        long millisBeforeRetry(int attempt) {
            double base = Math.min((double) maxMillis, initialMillis * Math.pow(2.0, Math.max(0, attempt - 1)));
            double low = base * 0.5;
            double high = Math.min((double) maxMillis, base * 1.5);
            return Math.max(1L, Math.round(low + ThreadLocalRandom.current().nextDouble() * (high - low)));
        }
    }

    /** One logical request across its attempts. */
    private static final class Exchange {
        final Bucket bucket;
        final String method;
        final String path;
        final byte[] body;
        final Map<String, Integer> itemIds;
        final CompletableFuture<BrazeResponse> result = new CompletableFuture<>();
        final AtomicBoolean finished = new AtomicBoolean();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger rateLimitedWaits = new AtomicInteger();
        volatile long rateLimitWaitNanos;

        Exchange(Bucket bucket, String method, String path, byte[] body, Map<String, Integer> itemIds) {
            this.bucket = bucket;
            this.method = method;
            this.path = path;
            this.body = body;
            this.itemIds = itemIds;
        }
    }
}
