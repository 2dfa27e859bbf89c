package io.cdisync.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What the engine asks a connector for: rows with {@code from <= UPDATED_AT <= until}, in UPDATED_AT
 * order. {@code from} is null on a sync's first run (read everything up to {@code until}).
 *
 * <p>Connectors should filter both bounds server-side. A connector that cannot filter by
 * {@code until} may return later rows: the engine holds them back and counts them. Rows whose
 * UPDATED_AT is NULL may come first or last; the engine reports them as row errors.
 *
 * @param from      inclusive lower bound (the watermark minus the lookback), or null for everything
 * @param until     inclusive upper bound (the run's start minus the settle delay)
 * @param batchSize rows per {@link RowBatch} the engine would like (a fetch size hint)
 */
public record ReadRequest(Instant from, Instant until, int batchSize) {
    public ReadRequest {
        Objects.requireNonNull(until, "until");
        if (from != null && from.isAfter(until)) {
            throw new IllegalArgumentException("from " + from + " is after until " + until);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
    }
}
