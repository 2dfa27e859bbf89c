package io.cdisync.testkit;

import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * A read-only table of a {@link FakeWarehouse} whose rows are made on the fly by a generator, so that a
 * sync of millions of rows runs in constant memory on the warehouse side too (benchmarks, soak tests).
 * Row {@code i} (0-based) is {@code generator.apply(i)}; the generator must be a pure function of
 * {@code i} and give non-decreasing UPDATED_AT values, never null.
 *
 * <pre>{@code
 * warehouse.generatedTable("users", 10_000_000, i -> FakeTable.attributes(
 *         T0.plusMillis(i), "user-" + i, "{\"plan\":\"gold\"}"));
 * }</pre>
 *
 * <p>A read from a watermark finds its first row by binary search. Thread-safe if the generator is.
 */
public final class FakeGeneratedTable {
    private final String name;
    private final long size;
    private final LongFunction<SourceRow> generator;

    FakeGeneratedTable(String name, long size, LongFunction<SourceRow> generator) {
        if (size < 0) {
            throw new IllegalArgumentException("rows must be >= 0, was " + size);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.size = size;
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    /** {@return the table's name} */
    public String name() {
        return name;
    }

    /** {@return how many rows the table holds} */
    public long size() {
        return size;
    }

    /**
     * Row {@code index}, as a read hands it out.
     *
     * @param index 0 to {@code size() - 1}
     * @return the generated row
     */
    public SourceRow row(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("row " + index + " of a table of " + size);
        }
        SourceRow row = generator.apply(index);
        if (row == null || row.updatedAt() == null) {
            throw new IllegalStateException("the generator of table " + name + " gave no row or no UPDATED_AT for row " + index);
        }
        return row;
    }

    @Override
    public String toString() {
        return "FakeGeneratedTable{" + name + ", rows=" + size + "}";
    }

    RowStream stream(ReadRequest request, Runnable onClose) {
        return new Stream(request.from() == null ? 0 : firstAtOrAfter(request.from()), request.batchSize(), onClose);
    }

    /** The first index whose UPDATED_AT is at or after {@code from} (rows are in UPDATED_AT order). */
    private long firstAtOrAfter(Instant from) {
        long low = 0;
        long high = size;
        while (low < high) {
            long mid = (low + high) >>> 1;
            if (row(mid).updatedAt().isBefore(from)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private final class Stream implements RowStream {
        private final int batchSize;
        private final Runnable onClose;
        private long next;
        private boolean closed;

        Stream(long first, int batchSize, Runnable onClose) {
            this.next = first;
            this.batchSize = batchSize;
            this.onClose = onClose;
        }

        @Override
        public RowBatch nextBatch() {
            if (closed) {
                throw new IllegalStateException("stream is closed");
            }
            if (next >= size) {
                return null;
            }
            int n = (int) Math.min(batchSize, size - next);
            List<SourceRow> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(row(next++));
            }
            return new RowBatch(rows);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                onClose.run();
            }
        }
    }
}
