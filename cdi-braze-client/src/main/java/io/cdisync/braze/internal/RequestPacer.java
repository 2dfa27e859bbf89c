package io.cdisync.braze.internal;

import io.cdisync.braze.RateLimit;
import java.time.Clock;

/**
 * Paces requests to one Braze rate-limit bucket.
 *
 * <p>A generic cell rate algorithm reserves a send time for each request at the configured rate
 * (slightly under it, so requests that land in the same fixed server window never exceed the budget),
 * with a small burst tolerance. Braze's {@code X-RateLimit-*} headers override the local count: the
 * rate limit is shared with every other user of the workspace's key, so when Braze says nothing
 * remains, everyone waits for the window's reset.
 */
public final class RequestPacer {
    /** Pace at 98% of the budget: fixed windows and clock skew must not turn pacing into 429s. */
    private static final double HEADROOM = 0.98;

    private final Clock clock;
    private final long intervalNanos;
    private final long burstNanos;
    private long theoreticalArrival;
    private long pausedUntil;

    public RequestPacer(RateLimit limit, Clock clock) {
        this.clock = clock;
        this.intervalNanos = Math.max(1L, (long) (limit.window().toNanos() / (limit.requests() * HEADROOM)));
        // Allow a burst of 1% of the budget (at least one request) so a slow start does not waste capacity.
        this.burstNanos = intervalNanos * Math.max(1, limit.requests() / 100);
        this.theoreticalArrival = System.nanoTime();
    }

    /** Reserves the next send slot; returns how many nanoseconds the caller must wait before sending. */
    public synchronized long reserve() {
        long now = System.nanoTime();
        long earliest = Math.max(now, pausedUntil);
        long sendAt = Math.max(earliest, theoreticalArrival - burstNanos);
        theoreticalArrival = Math.max(theoreticalArrival, earliest) + intervalNanos;
        return sendAt - now;
    }

    /**
     * Feeds back Braze's headers. When nothing remains in the window, holds every later request until
     * the window resets.
     *
     * @param remaining    {@code X-RateLimit-Remaining}, or -1 when absent
     * @param resetEpochSeconds {@code X-RateLimit-Reset}, or -1 when absent
     */
    public void observe(long remaining, long resetEpochSeconds) {
        if (remaining == 0 && resetEpochSeconds > 0) {
            pauseUntilEpochSeconds(resetEpochSeconds);
        }
    }

    /** Holds every request until the given wall-clock time (epoch seconds); returns the wait in nanoseconds. */
    public synchronized long pauseUntilEpochSeconds(long resetEpochSeconds) {
        long waitNanos = Math.max(0L, resetEpochSeconds * 1_000L - clock.millis()) * 1_000_000L;
        long until = System.nanoTime() + waitNanos;
        pausedUntil = Math.max(pausedUntil, until);
        return waitNanos;
    }

    /** Holds every request for the given time. */
    public synchronized void pauseFor(long nanos) {
        pausedUntil = Math.max(pausedUntil, System.nanoTime() + nanos);
    }
}
