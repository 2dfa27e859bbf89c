package io.cdisync.core.internal;

import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.TableWatermark;
import io.cdisync.core.spi.Watermark;
import java.time.Duration;
import java.time.Instant;

/**
 * A table sync's position during a run: the watermark (largest UPDATED_AT of the done prefix) and the
 * edge of rows done inside the lookback window below it.
 */
final class TableProgress implements RunProgress {
    private final Duration lookback;
    private final Edge edge;
    private Instant start;
    private Instant watermark;
    private Instant committed;
    private Instant keepFrom;

    TableProgress(Duration lookback) {
        this.lookback = lookback;
        this.edge = new Edge(lookback);
    }

    void load(TableWatermark stored) {
        start = stored.updatedAt();
        watermark = start;
        committed = start;
        edge.load(stored.edge());
    }

    /** The read of this run: from the watermark minus the lookback, up to {@code until}. */
    ReadRequest request(Instant until, int batchSize, Watermark stored) {
        Instant from = start == null ? null : start.minus(lookback);
        if (from != null && from.isAfter(until)) {
            from = until;
        }
        return new ReadRequest(from, until, batchSize, stored);
    }

    /** Whether a re-read row (at or below the starting watermark) was done by an earlier run. */
    boolean alreadyDone(Instant updatedAt, SourceRow row) {
        return start != null && !updatedAt.isAfter(start) && edge.contains(updatedAt, row);
    }

    /** Starts moving over a done prefix whose last row has {@code last}. */
    void advanceTo(Instant last) {
        if (watermark == null || last.isAfter(watermark)) {
            watermark = last;
        }
        keepFrom = watermark.minus(lookback);
    }

    /** One row of the done prefix; only rows within the lookback go to the edge (the others would be pruned at once). */
    void done(Instant updatedAt, SourceRow row) {
        if (!updatedAt.isBefore(keepFrom)) {
            edge.add(updatedAt, row);
        }
    }

    void advanced() {
        edge.pruneBelow(watermark);
    }

    @Override
    public boolean changed() {
        return watermark != null && (!watermark.equals(committed) || edge.changed());
    }

    @Override
    public Watermark snapshot() {
        return new TableWatermark(watermark, edge.snapshot());
    }

    @Override
    public void saved() {
        edge.markSaved();
        committed = watermark;
    }

    @Override
    public Instant startInstant() {
        return start;
    }

    @Override
    public Instant committedInstant() {
        return committed;
    }
}
