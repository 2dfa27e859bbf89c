package io.cdisync.braze.internal;

import io.cdisync.braze.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Paces requests to one Braze rate-limit bucket.
 *
 * <p>A generic cell rate algorithm reserves a send time for each request at the configured rate
 * (slightly under it, so requests that land in the same fixed server window never exceed the budget),
 * with a small burst tolerance that never lets a window hold more than the budget. Braze's
 * {@code X-RateLimit-*} headers override the local count: the rate limit is shared with every other
 * user of the workspace's key, so when Braze says only {@code n} requests remain until the window
 * resets, at most {@code n} more are sent before the reset, and when nothing remains everyone waits.
 *
 * <p>All times are {@link System#nanoTime()} values, compared by subtraction (they may be negative).
 */
public final class RequestPacer {
    /** Pace at 98% of the budget: fixed windows and clock skew must not turn pacing into 429s. */
    private static final double HEADROOM = 0.98;
    /** {@code X-RateLimit-Reset} values at or above this are epoch milliseconds, not seconds. */
    private static final long EPOCH_MILLIS_THRESHOLD = 100_000_000_000L;
    /** {@code X-RateLimit-Reset} values below this (before 2001) are seconds from now, not epoch seconds. */
    private static final long EPOCH_SECONDS_THRESHOLD = 1_000_000_000L;

    private final Clock clock;
    private final long intervalNanos;
    private final long burstNanos;
    private final long maxPauseMillis;
    private long theoreticalArrival;
    private long pausedUntil;
    /** What Braze last said about its current window (valid while {@code windowKnown}). */
    private boolean windowKnown;
    private long windowEnd;
    private long windowResetValue;
    private long windowRemaining;

    public RequestPacer(RateLimit limit, Clock clock) {
        this(limit, clock, Duration.ofMinutes(5));
    }

    /**
     * @param maxPause the longest a single header may hold requests (guards against absurd or skewed
     *                 {@code X-RateLimit-Reset} values)
     */
    public RequestPacer(RateLimit limit, Clock clock, Duration maxPause) {
        this.clock = clock;
        long window = limit.window().toNanos();
        this.intervalNanos = Math.max(1L, (long) (window / (limit.requests() * HEADROOM)));
        // Requests the steady pace can put into one window; the burst may only use what is left of the
        // budget, so that burst + steady pace never exceed it (with small budgets there is no burst).
        long perWindow = (window + intervalNanos - 1) / intervalNanos;
        long burstRequests = Math.max(0L, Math.min(limit.requests() / 100, limit.requests() - perWindow));
        this.burstNanos = intervalNanos * burstRequests;
        this.maxPauseMillis = Math.max(0L, maxPause.toMillis());
        long now = System.nanoTime();
        this.theoreticalArrival = now;
        this.pausedUntil = now;
    }

    /** Reserves the next send slot; returns how many nanoseconds the caller must wait before sending. */
    public long reserve() {
        return reserve(System.nanoTime());
    }

    /** {@link #reserve()} at the given {@link System#nanoTime()}. */
    synchronized long reserve(long now) {
        long earliest = later(now, pausedUntil);
        long sendAt = later(earliest, theoreticalArrival - burstNanos);
        if (windowKnown) {
            if (sendAt - windowEnd >= 0) {
                windowKnown = false; // this request lands in a later window, of which nothing is known
            } else if (windowRemaining > 0) {
                windowRemaining--;
            } else {
                sendAt = windowEnd; // Braze's budget for the window is used up: wait for the reset
                windowKnown = false;
            }
        }
        theoreticalArrival = later(theoreticalArrival, sendAt) + intervalNanos;
        return Math.max(0L, sendAt - now);
    }

    /**
     * Feeds back Braze's headers. When nothing remains in the window, holds every later request until
     * the window resets; when little remains, lets only that many through before the reset.
     *
     * @param remaining {@code X-RateLimit-Remaining}, or -1 when absent
     * @param reset     {@code X-RateLimit-Reset}, or -1 when absent
     */
    public void observe(long remaining, long reset) {
        observe(remaining, reset, System.nanoTime());
    }

    /** {@link #observe(long, long)} at the given {@link System#nanoTime()}. */
    synchronized void observe(long remaining, long reset, long now) {
        if (remaining < 0 || reset <= 0) {
            return;
        }
        long wait = nanosUntilReset(reset);
        if (wait <= 0) {
            return; // that window is over already
        }
        long end = now + wait;
        if (remaining == 0) {
            pausedUntil = later(pausedUntil, end);
            windowKnown = false;
            return;
        }
        if (windowKnown && windowResetValue == reset) {
            // Same window: requests sent since that answer left Braze were already counted down here.
            windowRemaining = Math.min(windowRemaining, remaining);
        } else if (!windowKnown || end - windowEnd > 0) {
            windowKnown = true;
            windowEnd = end;
            windowResetValue = reset;
            windowRemaining = remaining;
        }
        // else: a late answer about an older window; ignore it
    }

    /**
     * How long from now until {@code X-RateLimit-Reset}, in nanoseconds, between 0 and the maximum
     * pause. Braze sends epoch seconds; epoch milliseconds and small values (seconds from now) are
     * accepted too.
     */
    public long nanosUntilReset(long reset) {
        if (reset <= 0) {
            return 0;
        }
        long millis;
        if (reset >= EPOCH_MILLIS_THRESHOLD) {
            millis = reset - clock.millis();
        } else if (reset >= EPOCH_SECONDS_THRESHOLD) {
            millis = reset * 1_000L - clock.millis();
        } else {
            millis = reset * 1_000L;
        }
        return TimeUnit.MILLISECONDS.toNanos(Math.min(Math.max(0L, millis), maxPauseMillis));
    }

    /** Holds every request for the given time. */
    public void pauseFor(long nanos) {
        pauseFor(nanos, System.nanoTime());
    }

    /** {@link #pauseFor(long)} from the given {@link System#nanoTime()}. */
    synchronized void pauseFor(long nanos, long now) {
        if (nanos > 0) {
            pausedUntil = later(pausedUntil, now + nanos);
        }
    }

    /** The later of two {@link System#nanoTime()} values. */
    private static long later(long a, long b) {
        return a - b >= 0 ? a : b;
    }
}
