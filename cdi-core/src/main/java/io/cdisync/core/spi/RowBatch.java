package io.cdisync.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * A slice of a {@link RowStream}. Connectors choose the size (typically their fetch size); the engine
 * consumes batches one at a time, so memory stays constant whatever the table size.
 *
 * <p>Table sources send rows in UPDATED_AT order (ties in any order) and no {@code file}. File sources
 * send each batch with the {@link FileChunk} it comes from.
 *
 * @param rows the rows
 * @param file for file sources, the file and records the rows are; null for tables
 */
public record RowBatch(List<SourceRow> rows, FileChunk file) {
    public RowBatch {
        rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
        if (file != null && file.skipped() != null && !rows.isEmpty()) {
            throw new IllegalArgumentException("the batch of a skipped file has no rows");
        }
    }

    /** A table source's batch. */
    public RowBatch(List<SourceRow> rows) {
        this(rows, null);
    }

    public int size() {
        return rows.size();
    }
}
