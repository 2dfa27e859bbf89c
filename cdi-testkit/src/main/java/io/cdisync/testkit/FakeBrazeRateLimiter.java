package io.cdisync.testkit;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A fixed-window rate limit of one {@link FakeBraze} endpoint, as Braze applies them: at most
 * {@code limit} answered requests per window, windows aligned on the wall clock (a 3-second window
 * ends at an epoch second divisible by 3, a minute window at a whole minute), not started by a
 * client's first request. {@code X-RateLimit-Reset} is the epoch second at which the current window
 * ends. An observing limiter counts and reports the same headers but never refuses: it gives the
 * headers of Braze's default limits to a fake without a limit set. Thread-safe.
 */
final class FakeBrazeRateLimiter {
    private final int limit;
    private final long windowMillis;
    private final boolean enforced;
    private long window = Long.MIN_VALUE;
    private int used;

    private FakeBrazeRateLimiter(int limit, long windowMillis, boolean enforced) {
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.enforced = enforced;
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
        return new FakeBrazeRateLimiter(requests, window.toMillis(), true);
    }

    /** A limiter that counts {@code requests} per {@code window} for the headers but refuses nothing. */
    static FakeBrazeRateLimiter observing(int requests, Duration window) {
        return new FakeBrazeRateLimiter(requests, window.toMillis(), false);
    }

    /** Takes one request from the current window if any is left (always, for an observing limiter). */
    synchronized Decision tryAcquire(long nowMillis) {
        roll(nowMillis);
        if (enforced && used >= limit) {
            return new Decision(false, limit, 0, resetSeconds());
        }
        used++;
        return new Decision(true, limit, Math.max(0, limit - used), resetSeconds());
    }

    /** The state of the window without taking anything from it. */
    synchronized Decision peek(long nowMillis) {
        roll(nowMillis);
        return new Decision(!enforced || used < limit, limit, Math.max(0, limit - used), resetSeconds());
    }

    /** Forgets the current window's count. */
    synchronized void reset() {
        window = Long.MIN_VALUE;
        used = 0;
    }

    private void roll(long nowMillis) {
        long current = Math.floorDiv(nowMillis, windowMillis);
        if (current != window) {
            window = current;
            used = 0;
        }
    }

    /** The end of the current window in epoch seconds, rounded up. */
    private long resetSeconds() {
        return Math.floorDiv((window + 1) * windowMillis + 999, 1000);
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
     * @param resetEpochSeconds epoch second (rounded up) at which the wall-clock aligned window ends
     */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds) {
        /** The headers Braze sends on a 401: present, empty (braze_ruby_track_401_invalid_key.json). */
        static final Map<String, String> EMPTY_HEADERS =
                Map.of("X-RateLimit-Limit", "", "X-RateLimit-Remaining", "", "X-RateLimit-Reset", "");

        /** The {@code X-RateLimit-*} headers Braze sends. */
        Map<String, String> headers() {
            return Map.of(
                    "X-RateLimit-Limit", Integer.toString(limit),
                    "X-RateLimit-Remaining", Integer.toString(remaining),
                    "X-RateLimit-Reset", Long.toString(resetEpochSeconds));
        }
    }
}
