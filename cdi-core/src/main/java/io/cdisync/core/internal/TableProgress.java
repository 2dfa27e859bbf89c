package io.cdisync.core.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.TableWatermark;
import io.cdisync.core.spi.Watermark;
import java.time.Duration;
import java.time.Instant;

/**
 * A table sync's position during a run: the watermark (largest UPDATED_AT of the done prefix) and the
 * edge of rows done inside the lookback window below it. The run reads from the watermark minus the
 * lookback up to now minus the settle delay; rows come in UPDATED_AT order.
 */
final class TableProgress extends RunProgress {
    private final Duration lookback;
    private final Duration settleDelay;
    private final TableWatermark stored;
    private final Edge edge;
    private Instant start;
    private Instant watermark;
    private Instant committed;
    private Instant keepFrom;
    /** The read's upper bound; rows after it are held back for a later run. */
    private Instant until;
    private Instant lastReadAt;

    /** @param stored the stored watermark, or null (a new sync) */
    TableProgress(Duration lookback, Duration settleDelay, TableWatermark stored, RunCounters counters, String source) {
        super(counters, source);
        this.lookback = lookback;
        this.settleDelay = settleDelay;
        this.stored = stored;
        this.edge = new Edge(lookback);
        if (stored != null) {
            start = stored.updatedAt();
            watermark = start;
            committed = start;
            edge.load(stored.edge());
        }
    }

    /**
     * The read from a watermark {@code start}: from it minus the lookback (never past {@code until}), up to
     * {@code until}; from the beginning without one. {@code position} goes to the source as it is.
     */
    static ReadRequest request(Instant start, Duration lookback, Instant until, int batchSize, Watermark position) {
        Instant from = start == null ? null : start.minus(lookback);
        if (from != null && from.isAfter(until)) {
            from = until;
        }
        return new ReadRequest(from, until, batchSize, position);
    }

    @Override
    ReadRequest request(Instant startedAt, int fetchSize) {
        until = startedAt.minus(settleDelay);
        return request(start, lookback, until, fetchSize, stored);
    }

    @Override
    String describe(ReadRequest request) {
        return source + " from " + (request.from() == null ? "the beginning" : request.from()) + " to " + request.until();
    }

    @Override
    PendingRow accept(SourceRow row, long ordinal) {
        Instant updatedAt = row.updatedAt();
        if (row.payload() instanceof SourceRow.Unreadable unreadable) {
            counters.rowError(RowErrors.unreadable(row, ordinal, unreadable));
            return null;
        }
        if (updatedAt == null) {
            counters.rowError(RowErrors.noUpdatedAt(row, ordinal));
            return null;
        }
        if (lastReadAt != null && updatedAt.isBefore(lastReadAt)) {
            throw new CdiException.ConfigurationError("source " + source + " returned rows out of UPDATED_AT order ("
                    + updatedAt + " after " + lastReadAt + "); the source must order rows by UPDATED_AT");
        }
        lastReadAt = updatedAt;
        if (updatedAt.isAfter(until)) {
            counters.heldBack();
            return null;
        }
        if (alreadyDone(updatedAt, row)) {
            counters.skipped();
            return null;
        }
        PendingRow entry = new PendingRow(updatedAt, row, ordinal, null, 0);
        place(entry);
        return entry;
    }

    /** Whether a re-read row (at or below the starting watermark) was done by an earlier run. */
    private boolean alreadyDone(Instant updatedAt, SourceRow row) {
        return start != null && !updatedAt.isAfter(start) && edge.contains(updatedAt, row);
    }

    /**
     * Rows are in UPDATED_AT order, so the prefix's last row sets the new watermark, and only rows within the
     * lookback below it go to the edge: the others would be pruned at once (no per-row edge work for the bulk
     * of a large sync).
     */
    @Override
    void startAdvance(Instant last) {
        if (watermark == null || last.isAfter(watermark)) {
            watermark = last;
        }
        keepFrom = watermark.minus(lookback);
    }

    @Override
    void passed(PendingRow row) {
        if (!row.updatedAt.isBefore(keepFrom)) {
            edge.add(row.updatedAt, row.row);
        }
    }

    @Override
    void endAdvance() {
        edge.pruneBelow(watermark);
    }

    @Override
    boolean changed() {
        return watermark != null && (!watermark.equals(committed) || edge.changed());
    }

    @Override
    Watermark snapshot() {
        return new TableWatermark(watermark, edge.snapshot());
    }

    @Override
    void saved() {
        edge.markSaved();
        committed = watermark;
    }

    @Override
    Instant startInstant() {
        return start;
    }

    @Override
    Instant committedInstant() {
        return committed;
    }
}
