package io.cdisync.testkit;

import java.time.Duration;
import java.util.Random;

/**
 * Seeded random faults for fault-schedule tests: each request independently fails with a 5xx, is
 * dropped, or is answered slowly, with the given probabilities. Deterministic for a seed and a request
 * order. Thread-safe.
 */
final class FakeBrazeChaos {
    private final Random random;
    private final double serverErrors;
    private final double drops;
    private final double slow;
    private final Duration slowDelay;

    FakeBrazeChaos(long seed, double serverErrors, double drops, double slow, Duration slowDelay) {
        if (serverErrors < 0 || drops < 0 || slow < 0 || serverErrors + drops + slow > 1) {
            throw new IllegalArgumentException("probabilities must be non-negative and sum to at most 1");
        }
        this.random = new Random(seed);
        this.serverErrors = serverErrors;
        this.drops = drops;
        this.slow = slow;
        this.slowDelay = slowDelay;
    }

    synchronized FakeBrazeFaults.Fault next() {
        double roll = random.nextDouble();
        if (roll < serverErrors) {
            return FakeBrazeFaults.Fault.fail(random.nextBoolean() ? 500 : 503);
        }
        if (roll < serverErrors + drops) {
            return FakeBrazeFaults.Fault.drop();
        }
        if (roll < serverErrors + drops + slow) {
            return FakeBrazeFaults.Fault.delay(slowDelay);
        }
        return null;
    }
}
