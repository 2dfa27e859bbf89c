package io.cdisync.core.internal;

import io.cdisync.braze.BrazeResponse;
import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run counts as it goes (rows read, delivered, failed, skipped, held back; requests and rate-limit
 * waits) and the row errors it keeps for the report; builds the {@link SyncProgress} and {@link SyncReport}.
 */
final class RunCounters {
    /** The run's log, whichever part of the run writes the line. */
    private static final Logger log = LoggerFactory.getLogger(SyncRun.class);

    private final String syncId;
    private final DataType dataType;
    private final boolean dryRun;
    private final int maxReportedErrors;
    private final RunEvents events;
    private final List<RowError> rowErrors = new ArrayList<>();

    private long rowsRead;
    private long rowsDelivered;
    private long rowsFailed;
    private long rowsSkipped;
    private long rowsHeldBack;
    private long rowsAccepted;
    private long rowErrorsDropped;
    private long requests;
    private long rateLimitedWaits;

    RunCounters(String syncId, DataType dataType, boolean dryRun, int maxReportedErrors, RunEvents events) {
        this.syncId = syncId;
        this.dataType = dataType;
        this.dryRun = dryRun;
        this.maxReportedErrors = maxReportedErrors;
        this.events = events;
    }

    /** A row was read; returns its place in this run's read (1 for the first). */
    long read() {
        return ++rowsRead;
    }

    long rowsRead() {
        return rowsRead;
    }

    /** A row read goes on to translation: it counts towards the row cap. */
    void accepted() {
        rowsAccepted++;
    }

    long rowsAccepted() {
        return rowsAccepted;
    }

    /** A row newer than the read's upper bound, left for a later run. */
    void heldBack() {
        rowsHeldBack++;
    }

    /** A re-read row that an earlier run already did. */
    void skipped() {
        rowsSkipped++;
    }

    void delivered() {
        rowsDelivered++;
    }

    /** Braze answered a request ({@code sent} false for a dry run's pretend answer). */
    void answered(BrazeResponse response, boolean sent) {
        if (sent) {
            requests++;
        }
        rateLimitedWaits += response.rateLimitedWaits();
    }

    /** A row failed: counted, kept for the report up to the limit, logged and told to the listener. */
    void rowError(RowError error) {
        rowsFailed++;
        if (rowErrors.size() < maxReportedErrors) {
            rowErrors.add(error);
        } else {
            rowErrorsDropped++;
        }
        log.debug("sync {}: {}", syncId, error);
        events.rowError(error);
    }

    SyncProgress progress(Duration elapsed) {
        return new SyncProgress(rowsRead, rowsDelivered, rowsFailed, rowsSkipped, rateLimitedWaits, elapsed);
    }

    /**
     * The run's report.
     *
     * @param before    the watermark the run started from, or null
     * @param committed the watermark last saved, or null (a dry run reports {@code before})
     * @param failure   the run's failure, or null
     */
    SyncReport report(Instant startedAt, Duration duration, boolean capReached, CdiException failure, Instant before,
            Instant committed) {
        SyncStatus status;
        if (failure != null) {
            status = SyncStatus.ERROR;
        } else if (capReached) {
            status = SyncStatus.LIMIT_EXCEEDED;
        } else if (rowsFailed > 0) {
            status = SyncStatus.PARTIAL_SUCCESS;
        } else {
            status = SyncStatus.SUCCESS;
        }
        return new SyncReport(syncId, dataType, status, dryRun, rowsRead, rowsDelivered, rowsFailed, rowsSkipped,
                rowsHeldBack, rowErrors, rowErrorsDropped, requests, rateLimitedWaits, before,
                dryRun ? before : committed, startedAt, duration, failure);
    }
}
