package io.cdisync.databricks;

import java.time.Duration;
import java.util.Objects;

/**
 * One wait for a Databricks SQL warehouse that is still starting (a cold classic or pro warehouse takes 2–5
 * minutes), reported to a {@link WarmupListener} before the wait.
 *
 * @param attempt the attempt that found the warehouse starting, from 1
 * @param elapsed time spent waiting so far
 * @param maxWait the configured bound ({@code warmupTimeout})
 * @param retryIn how long until the next attempt
 * @param reason  what the driver reported (redacted), e.g. "The SQL warehouse is starting."
 */
public record WarehouseWarmup(int attempt, Duration elapsed, Duration maxWait, Duration retryIn, String reason) {
    public WarehouseWarmup {
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(retryIn, "retryIn");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code "Databricks SQL warehouse is starting; retrying in 20 s (elapsed 1 min of 6 min)"}. */
    public String message() {
        return "Databricks SQL warehouse is starting; retrying in " + human(retryIn) + " (elapsed " + human(elapsed) + " of "
                + human(maxWait) + ")";
    }

    /** A duration as people say it: {@code 20 s}, {@code 1 min}, {@code 1 min 20 s}. */
    public static String human(Duration duration) {
        long seconds = Math.max(0, (duration.toMillis() + 500) / 1000);
        long minutes = seconds / 60;
        long rest = seconds % 60;
        if (minutes == 0) {
            return rest + " s";
        }
        return rest == 0 ? minutes + " min" : minutes + " min " + rest + " s";
    }

    @Override
    public String toString() {
        return message();
    }
}
