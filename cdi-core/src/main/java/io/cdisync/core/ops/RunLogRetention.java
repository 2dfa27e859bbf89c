package io.cdisync.core.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * How long a {@link RunLog} keeps things, applied by {@link RunLog#prune(Clock)}: failed rows 30 days
 * and runs 12 months by default, as Braze keeps them.
 *
 * @param failedRows how long a failed row is kept after it was last recorded
 * @param runs       how long a run is kept after it started
 */
public record RunLogRetention(Duration failedRows, Period runs) {
    /** Failed rows 30 days, runs 12 months. */
    public static final RunLogRetention DEFAULT = new RunLogRetention(Duration.ofDays(30), Period.ofMonths(12));

    public RunLogRetention {
        Objects.requireNonNull(failedRows, "failedRows");
        Objects.requireNonNull(runs, "runs");
        if (failedRows.isNegative() || failedRows.isZero()) {
            throw new IllegalArgumentException("failedRows retention must be positive, was " + failedRows);
        }
        if (runs.isNegative() || runs.isZero()) {
            throw new IllegalArgumentException("runs retention must be positive, was " + runs);
        }
    }

    /** Failed rows recorded before this instant are pruned. */
    public Instant failedRowsCutoff(Instant now) {
        return now.minus(failedRows);
    }

    /** Runs started before this instant are pruned (months counted in UTC). */
    public Instant runsCutoff(Instant now) {
        return now.atOffset(ZoneOffset.UTC).minus(runs).toInstant();
    }

    /**
     * What one {@link RunLog#prune(Clock)} removed.
     *
     * @param runs       runs removed
     * @param failedRows failed rows removed
     */
    public record Pruned(long runs, long failedRows) {
    }
}
