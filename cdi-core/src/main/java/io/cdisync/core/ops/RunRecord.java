package io.cdisync.core.ops;

import io.cdisync.core.SyncReport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One run of an integration in the {@link RunLog}: what Braze's run log shows for it.
 *
 * @param runId          unique id of the run
 * @param integration    the integration's name
 * @param kind           a sync, or a retry of failed rows
 * @param status         running, or how it ended
 * @param rowsRead       rows read from the source
 * @param rowsDelivered  rows Braze accepted
 * @param rowsFailed     rows that failed as row errors
 * @param rowsSkipped    rows skipped as already delivered
 * @param lastUpdatedAt  the UPDATED_AT the sync had reached at the end (its watermark), or null
 * @param startedAt      when the run started (milliseconds)
 * @param duration       how long it took (milliseconds), or null while running
 * @param failure        the global failure's message, or null; never a secret
 */
public record RunRecord(String runId, String integration, Kind kind, RunStatus status, long rowsRead, long rowsDelivered,
        long rowsFailed, long rowsSkipped, Instant lastUpdatedAt, Instant startedAt, Duration duration, String failure) {

    /** What a run did. */
    public enum Kind {
        /** A sync of new rows from the watermark. */
        SYNC,
        /** A re-send of stored failed rows, independent of the watermark. */
        RETRY
    }

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        // Milliseconds, as every store keeps them (a database column may hold no more).
        startedAt = Objects.requireNonNull(startedAt, "startedAt").truncatedTo(ChronoUnit.MILLIS);
        duration = duration == null ? null : Duration.ofMillis(duration.toMillis());
        if ((status == RunStatus.RUNNING) != (duration == null)) {
            throw new IllegalArgumentException("a run has a duration exactly when it is finished");
        }
    }

    /** A run that has just started. */
    public static RunRecord running(String runId, String integration, Kind kind, Instant startedAt) {
        return new RunRecord(runId, integration, kind, RunStatus.RUNNING, 0, 0, 0, 0, null, startedAt, null, null);
    }

    /** This run, finished as {@code report} says. */
    public RunRecord finished(SyncReport report) {
        return new RunRecord(runId, integration, kind, RunStatus.of(report.status()), report.rowsRead(), report.rowsDelivered(),
                report.rowsFailed(), report.rowsSkipped(), report.watermarkAfter(), startedAt, report.duration(),
                report.failure() == null ? null : report.failure().getMessage());
    }

    /** True once the run ended. */
    public boolean isFinished() {
        return status != RunStatus.RUNNING;
    }

    /** Rows failed as a percentage of rows read (0 when nothing was read). */
    public double rowErrorPercent() {
        return rowsRead == 0 ? 0 : 100.0 * rowsFailed / rowsRead;
    }
}
