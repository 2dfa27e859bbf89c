package io.cdisync.databricks.internal;

import io.cdisync.core.CdiException;
import io.cdisync.databricks.Sleeper;
import io.cdisync.databricks.WarehouseWarmup;
import io.cdisync.databricks.WarmupListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an operation that may find the SQL warehouse starting, and tries again every {@code interval} until
 * {@code maxWait} has passed: a cold classic or pro warehouse takes 2–5 minutes to answer, which must not
 * fail a connection test or a sync. Only the warm-up condition is retried ({@link DriverFailures.Kind#WAREHOUSE_STARTING});
 * every other failure is thrown at once. Each wait is logged at INFO and told to the listener.
 */
public final class WarmupRetry {
    private static final Logger log = LoggerFactory.getLogger(WarmupRetry.class);

    private final Duration maxWait;
    private final Duration interval;
    private final Clock clock;
    private final Sleeper sleeper;
    private final WarmupListener listener;
    private final UnaryOperator<String> redactor;

    public WarmupRetry(Duration maxWait, Duration interval, Clock clock, Sleeper sleeper, WarmupListener listener,
            UnaryOperator<String> redactor) {
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.listener = listener;
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    /**
     * Runs {@code operation}, waiting for a starting warehouse.
     *
     * @param what   what is being done, for messages (e.g. {@code "reading main.braze.users"})
     * @param target the warehouse, for messages
     * @throws CdiException.ConnectionFailed when the warehouse is still starting after {@code maxWait}
     * @throws CdiException.Interrupted when the thread is interrupted while waiting
     */
    public <T> T run(String what, String target, Supplier<T> operation) {
        Instant start = clock.instant();
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (CdiException e) {
                if (DriverFailures.kind(e) != DriverFailures.Kind.WAREHOUSE_STARTING) {
                    throw e;
                }
                Duration elapsed = Duration.between(start, clock.instant());
                Duration left = maxWait.minus(elapsed);
                String reason = redactor.apply(DriverFailures.serverMessage(e));
                if (left.isNegative() || left.isZero()) {
                    throw new CdiException.ConnectionFailed("the Databricks SQL warehouse " + target + " did not start within "
                            + WarehouseWarmup.human(maxWait) + " (" + attempt + " attempts while " + what + "; last answer: " + reason
                            + "). Check that the warehouse exists and may auto-start (or start it), or raise warmupTimeout", e);
                }
                Duration wait = left.compareTo(interval) < 0 ? left : interval;
                WarehouseWarmup warmup = new WarehouseWarmup(attempt, elapsed, maxWait, wait, reason);
                log.info("{} ({})", warmup.message(), what);
                notifyListener(warmup);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new CdiException.Interrupted("interrupted while waiting for the Databricks SQL warehouse " + target
                            + " to start", interrupted);
                }
            }
        }
    }

    private void notifyListener(WarehouseWarmup warmup) {
        if (listener == null) {
            return;
        }
        try {
            listener.onWarmup(warmup);
        } catch (RuntimeException e) {
            log.warn("the warm-up listener failed: {}", e.getClass().getName());
        }
    }
}
