package io.cdisync.core.ops.internal;

import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A source over rows kept in the run log, for a retry: every row, in UPDATED_AT order (rows without one
 * first), whatever the request's bounds, since a retry runs independently of the watermark.
 */
public final class StoredRowsSource implements SourceConnector {
    private final String description;
    private final List<SourceRow> rows;

    public StoredRowsSource(String description, List<SourceRow> rows) {
        this.description = description;
        List<SourceRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(SourceRow::updatedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        this.rows = List.copyOf(sorted);
    }

    @Override
    public RowStream read(ReadRequest request) {
        return new RowStream() {
            private int next;

            @Override
            public RowBatch nextBatch() {
                if (next >= rows.size()) {
                    return null;
                }
                int end = Math.min(rows.size(), next + request.batchSize());
                RowBatch batch = new RowBatch(rows.subList(next, end));
                next = end;
                return batch;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String describe() {
        return description;
    }
}
