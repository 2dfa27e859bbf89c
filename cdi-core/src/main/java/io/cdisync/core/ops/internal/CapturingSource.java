package io.cdisync.core.ops.internal;

import io.cdisync.core.RowError;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceRow;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A source that remembers the rows it hands out until they are known done, so that a row error (which
 * carries no payload) can be recorded with the row itself, for integrations that keep failed rows'
 * payloads. The engine holds the same rows until their prefix is done, so this adds only the rows done
 * since the last checkpoint: {@link #forgetBefore(Instant)} drops rows below a checkpointed watermark,
 * which are all done.
 *
 * <p>Rows are known by row key and UPDATED_AT. A row without a key is named by the engine after its
 * position in the read ({@code "#N (UPDATED_AT t)"}); this wrapper counts rows the same way.
 */
public final class CapturingSource implements SourceConnector {
    private final SourceConnector delegate;
    private final Map<String, SourceRow> rows = new LinkedHashMap<>();
    private static final int FILE_ROWS_KEPT = 1 << 18;
    private long position;

    public CapturingSource(SourceConnector delegate) {
        this.delegate = delegate;
    }

    @Override
    public RowStream read(ReadRequest request) {
        RowStream stream = delegate.read(request);
        synchronized (this) {
            position = 0;
            rows.clear();
        }
        return new RowStream() {
            @Override
            public RowBatch nextBatch() {
                RowBatch batch = stream.nextBatch();
                if (batch != null) {
                    remember(batch);
                }
                return batch;
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }

    private synchronized void remember(RowBatch batch) {
        for (SourceRow row : batch.rows()) {
            position++;
            String rowKey = row.rowKey() != null ? row.rowKey() : "#" + position + " (UPDATED_AT " + row.updatedAt() + ")";
            rows.put(key(rowKey, row.updatedAt()), row);
        }
    }

    /** The row a row error is about, if it is still remembered; it is forgotten then. */
    public synchronized SourceRow take(RowError error) {
        return rows.remove(key(error.rowKey(), error.updatedAt()));
    }

    /** Forgets the rows read before any row with UPDATED_AT {@code watermark} or later: they are done. */
    public synchronized void forgetBefore(Instant watermark) {
        Iterator<SourceRow> it = rows.values().iterator();
        if (watermark == null) {
            // A file sync's checkpoint has no UPDATED_AT: keep the newest rows read. Rows older in read order
            // than the engine's bound on rows read and not done are done, and their errors were taken.
            while (rows.size() > FILE_ROWS_KEPT && it.hasNext()) {
                it.next();
                it.remove();
            }
            return;
        }
        while (it.hasNext()) {
            Instant updatedAt = it.next().updatedAt();
            if (updatedAt != null && !updatedAt.isBefore(watermark)) {
                return; // rows come in UPDATED_AT order: the rest are at or after the watermark
            }
            it.remove();
        }
    }

    /** Rows remembered now (for tests of the memory bound). */
    public synchronized int remembered() {
        return rows.size();
    }

    @Override
    public io.cdisync.core.spi.Watermark initialPosition(Instant createdAt) {
        return delegate.initialPosition(createdAt);
    }

    @Override
    public void check() {
        delegate.check();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private static String key(String rowKey, Instant updatedAt) {
        return rowKey + '\u0000' + updatedAt;
    }
}
