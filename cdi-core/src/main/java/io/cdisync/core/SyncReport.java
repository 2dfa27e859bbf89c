package io.cdisync.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of a sync did.
 *
 * @param syncId           the sync's id
 * @param dataType         what it sends
 * @param status           how it ended
 * @param dryRun           true when nothing was sent and no watermark moved
 * @param rowsRead         rows read from the source (held-back rows included)
 * @param rowsDelivered    rows Braze accepted (in a dry run: rows that would have been sent)
 * @param rowsFailed       rows reported as row errors (invalid, or rejected by Braze)
 * @param rowsSkipped      rows skipped because an earlier run already delivered them
 * @param rowsHeldBack     rows newer than the run's start minus the settle delay, left for a later run
 * @param rowErrors        the row errors, at most the runner's {@code maxReportedErrors}
 * @param rowErrorsDropped row errors counted but not kept in {@code rowErrors}
 * @param requests         Braze requests completed
 * @param rateLimitedWaits 429 answers waited out (not failures)
 * @param watermarkBefore  UPDATED_AT watermark at the start, null on a first run
 * @param watermarkAfter   UPDATED_AT watermark at the end, null when nothing was ever delivered
 * @param startedAt        when the run started
 * @param duration         how long it took
 * @param failure          the global failure that ended the run, or null
 */
public record SyncReport(String syncId, DataType dataType, SyncStatus status, boolean dryRun, long rowsRead,
        long rowsDelivered, long rowsFailed, long rowsSkipped, long rowsHeldBack, List<RowError> rowErrors,
        long rowErrorsDropped, long requests, long rateLimitedWaits, Instant watermarkBefore, Instant watermarkAfter,
        Instant startedAt, Duration duration, CdiException failure) {

    private static final int SUMMARY_ERRORS = 10;

    public SyncReport {
        Objects.requireNonNull(syncId, "syncId");
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(status, "status");
        rowErrors = List.copyOf(rowErrors);
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
    }

    /** The global failure, if the run ended in one. */
    public Optional<CdiException> failureCause() {
        return Optional.ofNullable(failure);
    }

    /** Throws the run's global failure, if any; returns this report otherwise. */
    public SyncReport throwIfFailed() {
        if (failure != null) {
            throw failure;
        }
        return this;
    }

    /** A few readable lines for operators. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append("sync ").append(syncId).append(" (").append(dataType).append(")").append(dryRun ? " [dry run]" : "")
                .append(": ").append(status).append(" in ").append(duration.toMillis()).append(" ms\n");
        out.append("  rows read ").append(rowsRead).append(", delivered ").append(rowsDelivered)
                .append(", failed ").append(rowsFailed).append(", skipped (already delivered) ").append(rowsSkipped)
                .append(", held back ").append(rowsHeldBack).append('\n');
        out.append("  requests ").append(requests).append(", 429s waited ").append(rateLimitedWaits).append('\n');
        out.append("  watermark ").append(watermarkBefore == null ? "(none)" : watermarkBefore).append(" -> ")
                .append(watermarkAfter == null ? "(none)" : watermarkAfter).append('\n');
        int shown = Math.min(rowErrors.size(), SUMMARY_ERRORS);
        for (RowError error : rowErrors.subList(0, shown)) {
            out.append("  row error: ").append(error).append('\n');
        }
        long more = rowErrors.size() - shown + rowErrorsDropped;
        if (more > 0) {
            out.append("  ... and ").append(more).append(" more row errors\n");
        }
        if (failure != null) {
            out.append("  failure: ").append(failure.getMessage()).append('\n');
        }
        return out.toString();
    }
}
