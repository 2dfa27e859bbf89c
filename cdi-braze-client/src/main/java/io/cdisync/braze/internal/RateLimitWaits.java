package io.cdisync.braze.internal;

import io.cdisync.braze.BrazeException;
import io.cdisync.braze.RateLimitStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;

/**
 * Reads Braze's rate-limit headers and decides how long a 429 is waited out. Braze documents no
 * {@code Retry-After}; its {@code X-RateLimit-Reset} is the end of the current window in epoch seconds, on a
 * wall-clock boundary, and on hourly plans it can be an hour away. A request waits up to
 * {@code maxRateLimitWait} in total; past that it fails as retryable, naming the reset time.
 */
final class RateLimitWaits {
    /** Shortest wait after a 429, whatever the headers say (the reset header has 1 s granularity). */
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** The rate-limit headers of one answer; -1 where absent or empty (Braze sends them empty on a 401). */
    record Headers(long limit, long remaining, long reset, long retryAfterSeconds) {
        static Headers of(Response response) {
            long retryAfter = longHeader(response, "X-RateLimit-Retry-After");
            return new Headers(longHeader(response, "X-RateLimit-Limit"), longHeader(response, "X-RateLimit-Remaining"),
                    longHeader(response, "X-RateLimit-Reset"),
                    retryAfter >= 0 ? retryAfter : longHeader(response, "Retry-After"));
        }

        boolean any() {
            return limit >= 0 || remaining >= 0 || reset > 0;
        }
    }

    private final Clock clock;
    private final Duration maxWait;
    private final Map<BrazeTransport.Bucket, RateLimitStatus> latest = new ConcurrentHashMap<>();

    RateLimitWaits(Clock clock, Duration maxWait) {
        this.clock = clock;
        this.maxWait = maxWait;
    }

    /** Keeps the headers of an answer as the bucket's status, unless the answer carried none. */
    void record(BrazeTransport.Bucket bucket, Headers headers) {
        if (headers.any()) {
            latest.put(bucket, new RateLimitStatus(headers.limit(), headers.remaining(), resetInstant(headers.reset()),
                    clock.instant()));
        }
    }

    /** What the headers said last for the bucket, or null before any answer carried them. */
    RateLimitStatus status(BrazeTransport.Bucket bucket) {
        return latest.get(bucket);
    }

    /**
     * How long to wait after a 429 before sending the same request again: {@code Retry-After} if given, else until
     * {@code X-RateLimit-Reset}, else until the pacer's next window; at least 250 ms, plus 10-100 ms of jitter so
     * that waiting requests do not all arrive at the boundary at once. Not capped: see {@link #budgetLeft}.
     */
    long waitNanos(Headers headers, RequestPacer pacer) {
        long wait;
        if (headers.retryAfterSeconds() >= 0) {
            wait = TimeUnit.SECONDS.toNanos(headers.retryAfterSeconds());
        } else if (headers.reset() > 0) {
            wait = TimeUnit.MILLISECONDS.toNanos(Math.max(0L,
                    RequestPacer.resetEpochMillis(headers.reset(), clock.millis()) - clock.millis()));
        } else {
            wait = pacer.nanosToNextWindow();
        }
        return Math.max(wait, MIN_WAIT_NANOS) + TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(10, 100));
    }

    /** What is left of the request's {@code maxRateLimitWait}, in nanoseconds (0 or less: none). */
    long budgetLeft(Exchange exchange) {
        return maxWait.toNanos() - exchange.rateLimitWaitNanos;
    }

    /** The failure once {@code maxRateLimitWait} is used up: retryable, naming when the window resets. */
    BrazeException.Unavailable exhausted(Exchange exchange, Headers headers, String requestId) {
        Instant reset = headers.reset() > 0 ? resetInstant(headers.reset())
                : headers.retryAfterSeconds() >= 0 ? clock.instant().plusSeconds(headers.retryAfterSeconds()) : null;
        String when = reset == null ? "at a time Braze did not say (no X-RateLimit-Reset)" : "at " + reset;
        return new BrazeException.Unavailable("Braze still answers 429 (rate limited) to " + exchange.what()
                + " after waiting " + Duration.ofNanos(exchange.rateLimitWaitNanos).toMillis() + " ms (maxRateLimitWait "
                + maxWait + "); its rate-limit window resets " + when + ". Retry after that, raise maxRateLimitWait"
                + " or lower other traffic on this API key", 429, requestId, null);
    }

    private Instant resetInstant(long reset) {
        return reset > 0 ? Instant.ofEpochMilli(RequestPacer.resetEpochMillis(reset, clock.millis())) : null;
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
}
