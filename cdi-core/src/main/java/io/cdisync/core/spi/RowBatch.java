package io.cdisync.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * A slice of a {@link RowStream}: rows in UPDATED_AT order (ties in any order). Connectors choose the
 * size (typically their fetch size); the engine consumes batches one at a time, so memory stays
 * constant whatever the table size.
 */
public record RowBatch(List<SourceRow> rows) {
    public RowBatch {
        rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
    }

    public int size() {
        return rows.size();
    }
}
