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
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
 */
public final class BrazeTransport implements AutoCloseable {
    /** Rate-limit buckets Braze keeps separately. */
    public enum Bucket { TRACK, DELETE, CATALOG }

    private static final Logger log = LoggerFactory.getLogger(BrazeTransport.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HttpUrl endpoint;
    private final Secret apiKey;
    private final OkHttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Semaphore inFlight;
    private final Retry retry;
    private final long maxRateLimitWaitNanos;
    private final Map<Bucket, RequestPacer> pacers = new EnumMap<>(Bucket.class);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public BrazeTransport(HttpUrl endpoint, Secret apiKey, int maxInFlight, int maxAttempts, Duration initialBackoff,
            Duration maxBackoff, Duration maxRateLimitWait, Duration callTimeout, RateLimit track, RateLimit delete,
            RateLimit catalog, OkHttpClient base, Clock clock) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.inFlight = new Semaphore(maxInFlight);
        this.maxRateLimitWaitNanos = maxRateLimitWait.toNanos();
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(maxInFlight);
        dispatcher.setMaxRequestsPerHost(maxInFlight);
        this.http = (base == null ? new OkHttpClient() : base).newBuilder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(maxInFlight, 5, TimeUnit.MINUTES))
                .callTimeout(callTimeout)
                .connectTimeout(callTimeout.compareTo(Duration.ofSeconds(10)) < 0 ? callTimeout : Duration.ofSeconds(10))
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
        this.retry = Retry.of("braze", RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5, maxBackoff))
                .retryOnException(BrazeTransport::isRetryable)
                .build());
        pacers.put(Bucket.TRACK, new RequestPacer(track, clock));
        pacers.put(Bucket.DELETE, new RequestPacer(delete, clock));
        pacers.put(Bucket.CATALOG, new RequestPacer(catalog, clock));
    }

    /** Sends a request with pacing, 429 waits and retries. Blocks while the in-flight bound is reached. */
    public CompletableFuture<BrazeResponse> send(Bucket bucket, String method, String path, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("request body cannot be serialized", e));
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new BrazeException.Unavailable(
                    "interrupted while waiting to send " + method + " " + path, 0, null, e));
        }
        Exchange exchange = new Exchange(bucket, method, path, bytes);
        CompletableFuture<BrazeResponse> result = new CompletableFuture<>();
        retry.executeCompletionStage(scheduler, () -> attempt(exchange)).whenComplete((response, error) -> {
            inFlight.release();
            if (error == null) {
                result.complete(response);
                return;
            }
            Throwable cause = unwrap(error);
            failures.incrementAndGet();
            if (cause instanceof BrazeException.Unavailable unavailable && exchange.attempts.get() > 1) {
                cause = new BrazeException.Unavailable(unavailable.getMessage() + " (gave up after "
                        + exchange.attempts.get() + " attempts)", unavailable.statusCode(), unavailable.requestId(), unavailable);
            }
            result.completeExceptionally(cause);
        });
        return result;
    }

    public BrazeClientStats stats() {
        return new BrazeClientStats(requests.get(), retries.get(), rateLimited.get(), failures.get());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        ExecutorService executor = http.dispatcher().executorService();
        http.dispatcher().cancelAll();
        executor.shutdown();
        http.connectionPool().evictAll();
    }

    private CompletableFuture<BrazeResponse> attempt(Exchange exchange) {
        if (exchange.attempts.get() > 0) {
            retries.incrementAndGet();
        }
        exchange.attempts.incrementAndGet();
        CompletableFuture<BrazeResponse> future = new CompletableFuture<>();
        sendPaced(exchange, future);
        return future;
    }

    private void sendPaced(Exchange exchange, CompletableFuture<BrazeResponse> future) {
        long delay = pacers.get(exchange.bucket).reserve();
        if (delay <= 0) {
            call(exchange, future);
        } else {
            schedule(() -> call(exchange, future), delay, future);
        }
    }

    private void schedule(Runnable task, long delayNanos, CompletableFuture<BrazeResponse> future) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            future.completeExceptionally(new BrazeException.Unavailable("client is closed", 0, null, e));
        }
    }

    private void call(Exchange exchange, CompletableFuture<BrazeResponse> future) {
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
                log.warn("No answer from Braze to {} {} (attempt {}): {}", exchange.method, exchange.path,
                        exchange.attempts.get(), e.toString());
                future.completeExceptionally(new BrazeException.Unavailable("no answer from Braze to " + exchange.method + " "
                        + exchange.path + ": " + apiKey.redact(e.toString()), 0, null, e));
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
            rateLimited.incrementAndGet();
            exchange.rateLimitedWaits.incrementAndGet();
            long wait = reset > 0 ? pacer.pauseUntilEpochSeconds(reset) : TimeUnit.SECONDS.toNanos(1);
            wait += TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(10, 100));
            if (exchange.rateLimitWaitNanos + wait > maxRateLimitWaitNanos) {
                future.completeExceptionally(new BrazeException.Unavailable("Braze still answers 429 (rate limited) to " + what
                        + " after waiting " + Duration.ofNanos(exchange.rateLimitWaitNanos).toSeconds()
                        + " s; raise maxRateLimitWait or lower other traffic on this API key", 429, requestId, null));
                return;
            }
            exchange.rateLimitWaitNanos += wait;
            pacer.pauseFor(wait);
            log.debug("{} rate limited; waiting {} ms for the window to reset", what, wait / 1_000_000);
            schedule(() -> sendPaced(exchange, future), wait, future);
            return;
        }
        if (status >= 200 && status < 300) {
            future.complete(parse(status, body, exchange));
            return;
        }
        String message = brazeMessage(body);
        if (status == 401 || status == 403) {
            future.completeExceptionally(new BrazeException.Unauthorized("Braze refused the API key for " + what + " ("
                    + status + (message.isEmpty() ? "" : ": " + apiKey.redact(message)) + "); check the key, its permissions"
                    + " and that the endpoint is your workspace's instance", status, requestId));
        } else if (status >= 500 || status == 408) {
            log.warn("Braze answered {} to {} (attempt {})", status, what, exchange.attempts.get());
            future.completeExceptionally(new BrazeException.Unavailable("Braze answered " + status + " to " + what
                    + (message.isEmpty() ? "" : ": " + apiKey.redact(message)), status, requestId, null));
        } else {
            BrazeResponse perItem = status == 400 && exchange.bucket == Bucket.CATALOG ? parseItemErrors(status, body, exchange) : null;
            if (perItem != null) {
                future.complete(perItem);
            } else {
                future.completeExceptionally(new BrazeException.Rejected("Braze rejected " + what + " with " + status
                        + (message.isEmpty() ? "" : ": " + apiKey.redact(message)), status, requestId, body));
            }
        }
    }

    private BrazeResponse parse(int status, String body, Exchange exchange) {
        JsonNode root = readTree(body);
        return new BrazeResponse(status, root.path("message").asText(""), errors(root), exchange.attempts.get(),
                exchange.rateLimitedWaits.get());
    }

    /** Catalog writes answer 400 with per-item errors when some items are invalid; those are row errors, not a failed request. */
    private BrazeResponse parseItemErrors(int status, String body, Exchange exchange) {
        JsonNode root = readTree(body);
        List<ObjectError> errors = errors(root);
        if (errors.isEmpty() || errors.stream().anyMatch(e -> e.id() == null && e.index() < 0)) {
            return null;
        }
        return new BrazeResponse(status, root.path("message").asText(""), errors, exchange.attempts.get(),
                exchange.rateLimitedWaits.get());
    }

    private static List<ObjectError> errors(JsonNode root) {
        List<ObjectError> errors = new ArrayList<>();
        for (JsonNode error : root.path("errors")) {
            String message = error.hasNonNull("type") ? error.get("type").asText() : error.path("message").asText(null);
            errors.add(new ObjectError(error.path("input_array").asText("items"), error.path("index").asInt(-1),
                    error.hasNonNull("id") ? error.get("id").asText() : null, message));
        }
        return errors;
    }

    private static JsonNode readTree(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
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

    private static boolean isRetryable(Throwable error) {
        return unwrap(error) instanceof BrazeException e && e.retryable();
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** One logical request across its attempts. */
    private static final class Exchange {
        final Bucket bucket;
        final String method;
        final String path;
        final byte[] body;
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger rateLimitedWaits = new AtomicInteger();
        volatile long rateLimitWaitNanos;

        Exchange(Bucket bucket, String method, String path, byte[] body) {
            this.bucket = bucket;
            this.method = method;
            this.path = path;
            this.body = body;
        }
    }
}
