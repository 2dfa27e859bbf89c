package io.cdisync.braze.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cdisync.braze.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pacer's arithmetic, with explicit {@code nanoTime} values so that nothing depends on the machine's speed. */
class RequestPacerTest {
    /** A wall clock at a whole second, so that reset arithmetic is exact. */
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    /** Send times of {@code n} requests all reserved at {@code now}. */
    private static long[] reserveAll(RequestPacer pacer, int n, long now) {
        long[] sendAt = new long[n];
        for (int i = 0; i < n; i++) {
            sendAt[i] = now + pacer.reserve(now);
        }
        return sendAt;
    }

    /** No window of the limit's length holds more than the limit's requests. */
    private static void assertWithinBudget(RateLimit limit, long[] sendAt) {
        int r = limit.requests();
        long window = limit.window().toNanos();
        for (int i = 0; i + r < sendAt.length; i++) {
            long span = sendAt[i + r] - sendAt[i];
            assertTrue(span >= window, limit + ": requests " + i + ".." + (i + r) + " (" + (r + 1)
                    + " requests) within " + span / MS + " ms");
        }
    }

    @Test
    void neverMoreThanTheBudgetInAnyWindow() {
        for (RateLimit limit : new RateLimit[] {RateLimit.of(20, Duration.ofSeconds(1)), RateLimit.of(50, Duration.ofSeconds(1)),
                RateLimit.of(100, Duration.ofSeconds(1)), RateLimit.of(3_000, Duration.ofSeconds(3)),
                RateLimit.of(16_000, Duration.ofMinutes(1)), RateLimit.of(1, Duration.ofSeconds(1))}) {
            RequestPacer pacer = new RequestPacer(limit, CLOCK);
            long start = System.nanoTime() + SECOND; // after the pacer's creation: the burst is available
            long[] sendAt = reserveAll(pacer, limit.requests() * 2 + 1, start);
            // ... and again after an idle period, when the burst is available again.
            long later = sendAt[sendAt.length - 1] + 10 * limit.window().toNanos();
            long[] more = reserveAll(pacer, limit.requests() * 2 + 1, later);
            assertWithinBudget(limit, sendAt);
            assertWithinBudget(limit, more);
        }
    }

    @Test
    void paceIsCloseToTheBudget() {
        RateLimit limit = RateLimit.of(20, Duration.ofSeconds(1));
        long now = System.nanoTime() + SECOND;
        long[] sendAt = reserveAll(new RequestPacer(limit, CLOCK), 30, now);
        assertEquals(now, sendAt[0]);
        // 98% of 20/s: 29 gaps of 51 ms.
        long span = (sendAt[29] - sendAt[0]) / MS;
        assertTrue(span >= 1_470 && span <= 1_490, "30 requests spread over " + span + " ms");
    }

    @Test
    void largeBudgetsAllowASmallBurst() {
        RequestPacer pacer = new RequestPacer(RateLimit.of(3_000, Duration.ofSeconds(3)), CLOCK);
        long now = System.nanoTime() + SECOND;
        // The first request and a burst of 1% of the budget go at once; the next waits for its slot.
        for (int i = 0; i < 31; i++) {
            assertEquals(0, pacer.reserve(now), "request " + i + " of the burst");
        }
        assertTrue(pacer.reserve(now) > 0);
    }

    @Test
    void remainingZeroHoldsEveryRequestUntilTheReset() {
        RequestPacer pacer = new RequestPacer(RateLimit.of(3_000, Duration.ofSeconds(3)), CLOCK);
        long now = System.nanoTime();
        pacer.observe(0, NOW.getEpochSecond() + 2, now);
        assertEquals(2 * SECOND, pacer.reserve(now));
        assertEquals(SECOND, pacer.reserve(now + SECOND));
    }

    @Test
    void remainingNLetsOnlyNThroughBeforeTheReset() {
        RequestPacer pacer = new RequestPacer(RateLimit.of(3_000, Duration.ofSeconds(3)), CLOCK);
        long now = System.nanoTime();
        long reset = NOW.getEpochSecond() + 2;
        pacer.observe(5, reset, now);
        pacer.observe(2, reset, now); // a later answer about the same window: the lower count wins
        pacer.observe(4, reset - 1, now); // an older window: ignored
        assertEquals(0, pacer.reserve(now));
        assertEquals(0, pacer.reserve(now));
        assertEquals(2 * SECOND, pacer.reserve(now), "the third request waits for the reset");
        // After the reset nothing is known about the new window: the pacer paces at the configured rate.
        long fourth = pacer.reserve(now);
        assertTrue(fourth - 2 * SECOND <= 2 * MS, "fourth request " + (fourth - 2 * SECOND) / MS + " ms after the third");
    }

    @Test
    void aNewerWindowReplacesTheCount() {
        RequestPacer pacer = new RequestPacer(RateLimit.of(3_000, Duration.ofSeconds(3)), CLOCK);
        long now = System.nanoTime();
        pacer.observe(1, NOW.getEpochSecond() + 1, now);
        pacer.observe(3, NOW.getEpochSecond() + 2, now);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, pacer.reserve(now));
        }
        assertEquals(2 * SECOND, pacer.reserve(now));
    }

    @Test
    void missingOrPastHeadersChangeNothing() {
        RequestPacer pacer = new RequestPacer(RateLimit.of(3_000, Duration.ofSeconds(3)), CLOCK);
        long now = System.nanoTime() + SECOND;
        pacer.observe(0, -1, now);
        pacer.observe(-1, NOW.getEpochSecond() + 10, now);
        pacer.observe(0, NOW.getEpochSecond() - 1, now);
        assertEquals(0, pacer.reserve(now));
    }

    @Test
    void resetIsReadAsEpochSecondsEpochMillisOrSecondsFromNowAndCapped() {
        RequestPacer pacer = new RequestPacer(RateLimit.of(10, Duration.ofSeconds(1)), CLOCK, Duration.ofMinutes(5));
        assertEquals(3 * SECOND, pacer.nanosUntilReset(NOW.getEpochSecond() + 3));
        assertEquals(3 * SECOND, pacer.nanosUntilReset(NOW.toEpochMilli() + 3_000));
        assertEquals(3 * SECOND, pacer.nanosUntilReset(3));
        assertEquals(0, pacer.nanosUntilReset(NOW.getEpochSecond() - 3));
        assertEquals(0, pacer.nanosUntilReset(-1));
        assertEquals(TimeUnit.MINUTES.toNanos(5), pacer.nanosUntilReset(Long.MAX_VALUE / 2));
        assertEquals(TimeUnit.MINUTES.toNanos(5), pacer.nanosUntilReset(NOW.getEpochSecond() + 86_400));
    }

    @Test
    void windowsFollowTheWallClockBoundaryAResetHeaderNames() {
        // One second into a 3-second window of Braze's (windows end at epoch multiples of 3 s).
        Clock clock = Clock.fixed(NOW.plusSeconds(1), ZoneOffset.UTC);
        RequestPacer pacer = new RequestPacer(RateLimit.of(300, Duration.ofSeconds(3)), clock);
        long now = System.nanoTime() + SECOND;
        pacer.observe(299, NOW.getEpochSecond() + 3, now);
        long boundary = now + 2 * SECOND;
        long[] sendAt = reserveAll(pacer, 1_000, now);
        java.util.Map<Long, Integer> perWindow = new java.util.TreeMap<>();
        for (long t : sendAt) {
            perWindow.merge(Math.floorDiv(t - boundary, 3 * SECOND), 1, Integer::sum);
        }
        // 98% of the budget in every window on Braze's boundaries, burst included; 2 s left in the first one.
        perWindow.forEach((window, count) -> assertTrue(count <= 294, "window " + window + " holds " + count + ": " + perWindow));
        assertTrue(perWindow.get(-1L) <= 2 * 294 / 3 + 4, "first, partial window: " + perWindow);
        assertEquals(294, perWindow.get(0L), "a whole window is used: " + perWindow);
    }

    @Test
    void aRequestWokenAfterItsWindowEndedIsMissed() {
        RequestPacer pacer = new RequestPacer(RateLimit.of(10, Duration.ofSeconds(1)), CLOCK);
        long now = System.nanoTime();
        assertFalse(pacer.missedWindow(now + 10 * SECOND), "planned in the future");
        assertTrue(pacer.missedWindow(now - 2 * SECOND), "planned two windows ago");
    }

    @Test
    void pauseForHoldsRequests() {
        RequestPacer pacer = new RequestPacer(RateLimit.of(3_000, Duration.ofSeconds(3)), CLOCK);
        long now = System.nanoTime() + SECOND;
        pacer.pauseFor(500 * MS, now);
        assertEquals(500 * MS, pacer.reserve(now));
    }

    @Test
    void backoffDoublesWithJitterAndStaysRandomAtTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int i = 0; i < 200; i++) {
            long first = backoff.millisBeforeRetry(1);
            assertTrue(first >= 50 && first <= 150, "first backoff " + first);
            long third = backoff.millisBeforeRetry(3);
            assertTrue(third >= 200 && third <= 600, "third backoff " + third);
            long capped = backoff.millisBeforeRetry(20);
            assertTrue(capped >= 500 && capped <= 1_000, "capped backoff " + capped);
        }
        Set<Long> atCap = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            atCap.add(backoff.millisBeforeRetry(30));
        }
        assertTrue(atCap.size() > 10, "jitter at the cap: " + atCap);
        assertTrue(new Backoff(Duration.ofNanos(10), Duration.ofNanos(10)).millisBeforeRetry(1) >= 1);
    }
}
