package io.cdisync.braze.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with ±50% jitter that stays random at the cap (resilience4j's
 * {@code ofExponentialRandomBackoff} clips the jittered value to the maximum, so once the cap is
 * reached every client retries in lockstep), and accepts sub-millisecond settings.
 */
final class Backoff {
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
