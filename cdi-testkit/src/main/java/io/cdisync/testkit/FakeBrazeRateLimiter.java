package io.cdisync.testkit;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A fixed-window rate limit of one {@link FakeBraze} endpoint, as Braze applies them: at most
 * {@code limit} answered requests per window. A window starts with the first request after the
 * previous one ended. Thread-safe.
 */
final class FakeBrazeRateLimiter {
    private final int limit;
    private final long windowMillis;
    private long windowEndMillis = Long.MIN_VALUE;
    private int used;

    private FakeBrazeRateLimiter(int limit, long windowMillis) {
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    /**
     * A limiter of {@code requests} per {@code window}, or null (no limit) when {@code requests} is 0.
     *
     * @throws IllegalArgumentException if {@code requests} is negative or, when it is positive, the
     *                                  window is not at least one millisecond
     */
    static FakeBrazeRateLimiter create(int requests, Duration window) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0 (0 disables the limit), was " + requests);
        }
        if (requests == 0) {
            return null;
        }
        Objects.requireNonNull(window, "window");
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("window must be at least 1 ms, was " + window);
        }
        return new FakeBrazeRateLimiter(requests, window.toMillis());
    }

    /** Takes one request from the current window if any is left. */
    synchronized Decision tryAcquire(long nowMillis) {
        if (nowMillis >= windowEndMillis) {
            windowEndMillis = nowMillis + windowMillis;
            used = 0;
        }
        if (used >= limit) {
            return new Decision(false, limit, 0, resetSeconds(windowEndMillis));
        }
        used++;
        return new Decision(true, limit, limit - used, resetSeconds(windowEndMillis));
    }

    /** The state of the window without taking anything from it. */
    synchronized Decision peek(long nowMillis) {
        if (nowMillis >= windowEndMillis) {
            return new Decision(true, limit, limit, resetSeconds(nowMillis + windowMillis));
        }
        return new Decision(used < limit, limit, limit - used, resetSeconds(windowEndMillis));
    }

    /** Forgets the current window. */
    synchronized void reset() {
        windowEndMillis = Long.MIN_VALUE;
        used = 0;
    }

    private static long resetSeconds(long epochMillis) {
        return Math.floorDiv(epochMillis + 999, 1000);
    }

    /**
     * A validated rate limit setting, from which each fake creates its own limiter.
     *
     * @param requests requests per window, 0 for no limit
     * @param window   the window
     */
    record Spec(int requests, Duration window) {
        static final Spec NONE = new Spec(0, Duration.ZERO);

        /** Validates as {@link FakeBrazeRateLimiter#create}. */
        static Spec of(int requests, Duration window) {
            FakeBrazeRateLimiter.create(requests, window);
            return new Spec(requests, window);
        }

        /** A new limiter, or null for no limit. */
        FakeBrazeRateLimiter create() {
            return FakeBrazeRateLimiter.create(requests, window);
        }
    }

    /**
     * The outcome of a check.
     *
     * @param allowed           whether the request may be processed
     * @param limit             requests per window
     * @param remaining         requests left in the window after this one
     * @param resetEpochSeconds epoch second (rounded up) at which the window ends
     */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds) {
        /** The {@code X-RateLimit-*} headers Braze sends. */
        Map<String, String> headers() {
            return Map.of(
                    "X-RateLimit-Limit", Integer.toString(limit),
                    "X-RateLimit-Remaining", Integer.toString(remaining),
                    "X-RateLimit-Reset", Long.toString(resetEpochSeconds));
        }
    }
}
