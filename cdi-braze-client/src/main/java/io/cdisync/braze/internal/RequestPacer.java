package io.cdisync.braze.internal;

import io.cdisync.braze.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Paces requests to one Braze rate-limit bucket.
 *
 * <p>Braze counts requests in fixed windows that end on wall-clock boundaries (a 3-second window ends at an epoch
 * multiple of 3 s; {@code X-RateLimit-Reset} is that boundary in epoch seconds), not in windows that start at a
 * client's first request. So the pacer places its windows of the configured length on the wall clock too (epoch
 * multiples, moved to the boundary a reset header names when that is less than one window away) and sends at most
 * 98% of the budget in each of them. Within a window a generic cell rate algorithm spreads the requests evenly at
 * 98% of the rate, with a small burst tolerance, so that no sliding window holds more than the budget either and
 * requests that arrive a little late still fit the window they land in.
 *
 * <p>Braze's {@code X-RateLimit-*} headers override the local count: the limit is shared with every other user of
 * the workspace's key, so when Braze says only {@code n} requests remain until the window resets, at most {@code n}
 * more are sent before the reset, and when nothing remains everyone waits.
 *
 * <p>All times are {@link System#nanoTime()} values, compared by subtraction (they may be negative); the wall
 * clock is read once, to place the windows.
 */
public final class RequestPacer {
    /** Pace at 98% of the budget: fixed windows and clock skew must not turn pacing into 429s. */
    private static final double HEADROOM = 0.98;
    /** {@code X-RateLimit-Reset} values at or above this are epoch milliseconds, not seconds. */
    private static final long EPOCH_MILLIS_THRESHOLD = 100_000_000_000L;
    /** {@code X-RateLimit-Reset} values below this (before 2001) are seconds from now, not epoch seconds. */
    private static final long EPOCH_SECONDS_THRESHOLD = 1_000_000_000L;
    private static final long ALIGN_TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Clock clock;
    private final long windowNanos;
    private final long intervalNanos;
    private final long burstNanos;
    private final int perWindow;
    private final long maxPauseMillis;
    /** Epoch nanoseconds minus {@link System#nanoTime()}: where the wall clock puts the windows. */
    private final long wallOffset;
    /** Window boundaries are at epoch nanos {@code phase + k * windowNanos}. */
    private long phase;
    private long theoreticalArrival;
    private long pausedUntil;
    /** The aligned window the latest reservation fell in, and how many it holds. */
    private long countedWindow = Long.MIN_VALUE;
    private int counted;
    /** Requests handed to HTTP so far, and Braze's remaining count projected to now (see {@link #mayCall}). */
    private long calls;
    private boolean serverWindowKnown;
    private long serverWindowEnd;
    private long serverRemaining;
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
        this.windowNanos = limit.window().toNanos();
        this.intervalNanos = Math.max(1L, (long) (windowNanos / (limit.requests() * HEADROOM)));
        // Requests the steady pace can put into one window; the burst may only use what is left of the
        // budget, so that burst + steady pace never exceed it (with small budgets there is no burst).
        long steady = (windowNanos + intervalNanos - 1) / intervalNanos;
        long burstRequests = Math.max(0L, Math.min(limit.requests() / 100, limit.requests() - steady));
        this.burstNanos = intervalNanos * burstRequests;
        this.perWindow = (int) Math.max(1L, Math.min(limit.requests(), (long) Math.floor(limit.requests() * HEADROOM)));
        this.maxPauseMillis = Math.max(0L, maxPause.toMillis());
        long now = System.nanoTime();
        this.wallOffset = TimeUnit.MILLISECONDS.toNanos(clock.millis()) - now;
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
        long window = windowIndex(sendAt);
        if (window < countedWindow) {
            // A burst slot before a window already filled: it counts there, and waits for it.
            window = countedWindow;
            sendAt = later(sendAt, windowStart(window));
        }
        if (window != countedWindow) {
            countedWindow = window;
            counted = 0;
        }
        if (counted >= perWindow) {
            countedWindow = ++window;
            counted = 0;
            sendAt = windowStart(window);
        }
        counted++;
        theoreticalArrival = later(theoreticalArrival, sendAt) + intervalNanos;
        return Math.max(0L, sendAt - now);
    }

    /**
     * Asked just before a request goes on the wire: false when Braze's count, projected from its latest answer
     * and the requests sent since, says nothing remains in its current window (requests that left late, after a
     * cold start or a busy moment, land in a window whose slots were handed out ahead). Then every request is
     * held until that window ends, and the caller reserves a new slot. When true, the call is counted.
     */
    public synchronized boolean mayCall() {
        long now = System.nanoTime();
        if (serverWindowKnown && now - serverWindowEnd < 0) {
            if (serverRemaining <= 0) {
                pausedUntil = later(pausedUntil, serverWindowEnd);
                return false;
            }
            serverRemaining--;
        }
        calls++;
        return true;
    }

    /** The sequence number of the latest call counted by {@link #mayCall()}. */
    public synchronized long calls() {
        return calls;
    }

    /**
     * Braze's remaining count from the answer to call number {@code callNumber} ({@link #calls()} right after its
     * {@link #mayCall()}): the calls made after it count against what remains, as Braze may not have seen them yet.
     */
    public synchronized void observeAnswer(long remaining, long reset, long callNumber) {
        long wait = remaining < 0 || reset <= 0 ? 0 : nanosUntilReset(reset);
        if (wait <= 0) {
            return;
        }
        long end = System.nanoTime() + wait;
        long projected = remaining - (calls - callNumber);
        if (serverWindowKnown && Math.abs(end - serverWindowEnd) < TimeUnit.SECONDS.toNanos(1)) {
            serverRemaining = Math.min(serverRemaining, projected); // same window
        } else if (!serverWindowKnown || end - serverWindowEnd > 0) {
            serverWindowKnown = true;
            serverWindowEnd = end;
            serverRemaining = projected;
        }
    }

    /** True when a request planned for {@code plannedAt} (a nanoTime) would now go out in a later window. */
    public synchronized boolean missedWindow(long plannedAt) {
        return windowIndex(System.nanoTime()) > windowIndex(plannedAt);
    }

    /** Nanoseconds from now to the start of the next aligned window (where a 429 without headers is retried). */
    public synchronized long nanosToNextWindow() {
        long now = System.nanoTime();
        return windowStart(windowIndex(now) + 1) - now;
    }

    /**
     * Feeds back Braze's headers. When nothing remains in the window, holds every later request until
     * the window resets; when little remains, lets only that many through before the reset. A reset less
     * than one window away moves the pacer's window boundaries onto Braze's.
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
        if (wait <= windowNanos) {
            align(end);
        }
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
     * Puts a window boundary at {@code boundary} (a nanoTime), keeping the count of the current window. Moves of
     * less than 5 ms are noise (the header has 1 s granularity, the clocks drift by milliseconds) and ignored.
     */
    private void align(long boundary) {
        long newPhase = Math.floorMod(boundary + wallOffset, windowNanos);
        long moved = Math.abs(newPhase - phase);
        if (Math.min(moved, windowNanos - moved) < ALIGN_TOLERANCE_NANOS) {
            return;
        }
        long middle = countedWindow == Long.MIN_VALUE ? 0 : windowStart(countedWindow) + windowNanos / 2;
        phase = newPhase;
        if (countedWindow != Long.MIN_VALUE) {
            countedWindow = windowIndex(middle);
        }
    }

    private long windowIndex(long nanoTime) {
        return Math.floorDiv(nanoTime + wallOffset - phase, windowNanos);
    }

    private long windowStart(long index) {
        return index * windowNanos + phase - wallOffset;
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
        long nowMillis = clock.millis();
        long millis = resetEpochMillis(reset, nowMillis) - nowMillis;
        return TimeUnit.MILLISECONDS.toNanos(Math.min(Math.max(0L, millis), maxPauseMillis));
    }

    /** {@code X-RateLimit-Reset} as epoch milliseconds: read as epoch seconds, epoch millis or seconds from now. */
    static long resetEpochMillis(long reset, long nowMillis) {
        if (reset >= EPOCH_MILLIS_THRESHOLD) {
            return reset;
        } else if (reset >= EPOCH_SECONDS_THRESHOLD) {
            return reset * 1_000L;
        }
        return nowMillis + reset * 1_000L;
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
