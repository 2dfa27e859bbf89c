package io.cdisync.braze.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClientStats;
import io.cdisync.braze.BrazeException;
import io.cdisync.braze.BrazeResponse;
import io.cdisync.braze.RateLimit;
import io.cdisync.braze.RateLimitStatus;
import io.cdisync.braze.Secret;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
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
 * The HTTP side of {@code BrazeClient}: request size, pacing, 429 waits, retries, in-flight bound, and what
 * each status means. Bodies are read by {@link ResponseReader}, rate-limit headers by {@link RateLimitWaits}.
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

    private final HttpUrl endpoint;
    private final Secret apiKey;
    private final OkHttpClient http;
    private final boolean ownsHttpResources;
    private final ScheduledExecutorService scheduler;
    private final Semaphore inFlight;
    private final Retry retry;
    private final int maxRequestBytes;
    private final ResponseReader reader;
    private final RateLimitWaits rateLimitWaits;
    private final Map<Bucket, RequestPacer> pacers = new EnumMap<>(Bucket.class);
    private final Set<Exchange> outstanding = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    public BrazeTransport(HttpUrl endpoint, Secret apiKey, int maxInFlight, int maxAttempts, Duration initialBackoff,
            Duration maxBackoff, Duration maxRateLimitWait, Duration callTimeout, RateLimit track, RateLimit delete,
            RateLimit catalog, OkHttpClient base, Clock clock, int maxRequestBytes) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.inFlight = new Semaphore(maxInFlight, true);
        this.maxRequestBytes = maxRequestBytes;
        this.reader = new ResponseReader(apiKey);
        this.rateLimitWaits = new RateLimitWaits(clock, maxRateLimitWait);
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

    /** What Braze's rate-limit headers said last for the bucket, or null before any answer carried them. */
    public RateLimitStatus rateLimitStatus(Bucket bucket) {
        return rateLimitWaits.status(bucket);
    }

    /** Sends a request with pacing, 429 waits and retries. Blocks while the in-flight bound is reached. */
    public CompletableFuture<BrazeResponse> send(Bucket bucket, String method, String path, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("request body cannot be serialized", e));
        }
        return send(bucket, method, path, bytes, bucket == Bucket.CATALOG ? ResponseReader.itemIds(body) : Map.of());
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
        if (bytes.length > maxRequestBytes) {
            failures.incrementAndGet();
            return CompletableFuture.failedFuture(new BrazeException.TooLarge("the body of " + what + " is " + bytes.length
                    + " bytes, over maxRequestBytes (" + maxRequestBytes + "; Braze refuses bodies over 4 MB with 413):"
                    + " not sent; send fewer objects per request", 0, null, bytes.length));
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
            finish(exchange, null, closedException(exchange.what(), null));
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
        String what = exchange.what();
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
            future.completeExceptionally(closedException(exchange.what(), null));
            return future;
        }
        sendPaced(exchange, future);
        return future;
    }

    private void sendPaced(Exchange exchange, CompletableFuture<BrazeResponse> future) {
        RequestPacer pacer = pacers.get(exchange.bucket);
        long delay = pacer.reserve();
        if (delay <= 0) {
            callIfBudget(pacer, exchange, future);
            return;
        }
        long planned = System.nanoTime() + delay;
        // Woken up after the planned window ended (a busy machine): sending now would add to a window whose
        // budget is already handed out, so the request takes a new slot instead.
        schedule(() -> {
            if (pacer.missedWindow(planned)) {
                sendPaced(exchange, future);
            } else {
                callIfBudget(pacer, exchange, future);
            }
        }, delay, exchange, future);
    }

    /** Sends unless Braze's projected count says its window is used up; then takes a new slot after it. */
    private void callIfBudget(RequestPacer pacer, Exchange exchange, CompletableFuture<BrazeResponse> future) {
        if (!pacer.mayCall()) {
            sendPaced(exchange, future);
            return;
        }
        exchange.callNumber = pacer.calls();
        call(exchange, future);
    }

    private void schedule(Runnable task, long delayNanos, Exchange exchange, CompletableFuture<BrazeResponse> future) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(closedException(exchange.what(), e));
        }
    }

    private void call(Exchange exchange, CompletableFuture<BrazeResponse> future) {
        if (closed) {
            future.completeExceptionally(closedException(exchange.what(), null));
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
                            + exchange.what() + ": " + apiKey.redact(e.toString()), 0, null, e));
                }
            }
        });
    }

    private void handle(Exchange exchange, Response response, String body, CompletableFuture<BrazeResponse> future) {
        int status = response.code();
        String requestId = response.header("X-Request-Id");
        RateLimitWaits.Headers headers = RateLimitWaits.Headers.of(response);
        rateLimitWaits.record(exchange.bucket, headers);
        pacers.get(exchange.bucket).observe(headers.remaining(), headers.reset());
        pacers.get(exchange.bucket).observeAnswer(headers.remaining(), headers.reset(), exchange.callNumber);
        String what = exchange.what();
        if (status == 429) {
            handleRateLimited(exchange, headers, requestId, future);
            return;
        }
        JsonNode root = ResponseReader.readTree(body);
        if (status >= 200 && status < 300) {
            future.complete(reader.processed(status, root, exchange));
            return;
        }
        String described = reader.describe(root);
        log.debug("Braze answered {} to {}{}", status, what, described);
        if (status == 401 || status == 403) {
            future.completeExceptionally(new BrazeException.Unauthorized("Braze refused the API key for " + what + " ("
                    + status + described + "); check the key, its permissions"
                    + " and that the endpoint is your workspace's instance", status, requestId));
        } else if (status == 413) {
            future.completeExceptionally(new BrazeException.TooLarge("Braze refused " + what + " as too large (413"
                    + described + ") with a body of " + exchange.body.length + " bytes; send fewer objects per request",
                    status, requestId, exchange.body.length));
        } else if (status >= 500 || status == 408) {
            log.info("Braze answered {} to {} (attempt {})", status, what, exchange.attempts.get());
            future.completeExceptionally(new BrazeException.Unavailable("Braze answered " + status + " to " + what
                    + described, status, requestId, null));
        } else {
            BrazeException.Rejected notFound = reader.catalogNotFound(status, root, body, exchange, requestId);
            BrazeResponse perObject = notFound == null ? reader.nothingWritten(status, root, exchange) : null;
            if (perObject != null) {
                future.complete(perObject);
            } else {
                future.completeExceptionally(notFound != null ? notFound
                        : reader.rejected(status, root, body, exchange, requestId));
            }
        }
    }

    /**
     * Waits out a 429 (without using up an attempt) and sends the same request again; once the request has
     * waited {@code maxRateLimitWait} in all, fails as retryable naming when the window resets.
     */
    private void handleRateLimited(Exchange exchange, RateLimitWaits.Headers headers, String requestId,
            CompletableFuture<BrazeResponse> future) {
        RequestPacer pacer = pacers.get(exchange.bucket);
        rateLimited.incrementAndGet();
        exchange.rateLimitedWaits.incrementAndGet();
        long left = rateLimitWaits.budgetLeft(exchange);
        if (left <= 0) {
            // Final: retrying it as a failed attempt would only send it into the same rate limit again.
            future.completeExceptionally(new Final(rateLimitWaits.exhausted(exchange, headers, requestId)));
            return;
        }
        long needed = rateLimitWaits.waitNanos(headers, pacer);
        // A reset further away than the budget allows: wait what is left of it and ask once more.
        long wait = Math.min(needed, left);
        exchange.rateLimitWaitNanos += wait;
        pacer.pauseFor(wait);
        log.debug("{} rate limited; waiting {} ms for the window to reset", exchange.what(), wait / 1_000_000);
        schedule(() -> sendPaced(exchange, future), wait, exchange, future);
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
}
