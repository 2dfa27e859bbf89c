package io.cdisync.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What the engine asks a connector for.
 *
 * <p>Table sources: rows with {@code from <= UPDATED_AT <= until}, in UPDATED_AT order. {@code from} is
 * null on a sync's first run (read everything up to {@code until}). Connectors should filter both bounds
 * server-side. A connector that cannot filter by {@code until} may return later rows: the engine holds
 * them back and counts them. Rows whose UPDATED_AT is NULL may come first or last; the engine reports
 * them as row errors.
 *
 * <p>File sources: the files the {@code position} ({@link FileLedger}) does not hold yet, the ledger's
 * current file first, from its next record; {@code from} is null and {@code until} is the run's start.
 *
 * @param from      inclusive lower bound (the watermark minus the lookback), or null for everything
 * @param until     inclusive upper bound (the run's start minus the settle delay)
 * @param batchSize rows per {@link RowBatch} the engine would like (a fetch size hint)
 * @param position  the sync's position the read starts from: the stored watermark, or for a new file sync
 *                  its initial ledger; null for a table sync's first run
 */
public record ReadRequest(Instant from, Instant until, int batchSize, Watermark position) {
    public ReadRequest {
        Objects.requireNonNull(until, "until");
        if (from != null && from.isAfter(until)) {
            throw new IllegalArgumentException("from " + from + " is after until " + until);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
    }

    /** A table read with no position. */
    public ReadRequest(Instant from, Instant until, int batchSize) {
        this(from, until, batchSize, null);
    }

    /** The position as a file ledger. */
    public FileLedger ledger() {
        if (position instanceof FileLedger ledger) {
            return ledger;
        }
        throw new IllegalStateException("this read has no file ledger (position: "
                + (position == null ? "none" : position.getClass().getSimpleName()) + ")");
    }
}
