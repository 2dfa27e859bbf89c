package io.cdisync.testkit;

import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A live cursor over a {@link FakeTable}: rows added ahead of the cursor during the read are seen, like a non-snapshot read. */
final class FakeRowStream implements RowStream {
    private final FakeTable table;
    private final ReadRequest request;
    private final Runnable onClose;
    private FakeTable.Key position;
    private boolean nullsDone;
    private boolean closed;
    private long rowsHandedOut;

    FakeRowStream(FakeTable table, ReadRequest request, Runnable onClose) {
        this.table = table;
        this.request = request;
        this.onClose = onClose;
        this.position = request.from() == null ? null : FakeTable.Key.before(request.from());
        // NULL UPDATED_AT never satisfies "UPDATED_AT >= from"; only a full read sees such rows.
        this.nullsDone = request.from() != null;
    }

    @Override
    public RowBatch nextBatch() {
        if (closed) {
            throw new IllegalStateException("stream is closed");
        }
        long allowance = table.checkFailure(rowsHandedOut);
        int limit = (int) Math.min(request.batchSize(), allowance);
        List<SourceRow> rows = new ArrayList<>(limit);
        if (!nullsDone) {
            rows.addAll(table.nullTimestampRows());
            nullsDone = true;
        }
        Iterator<Map.Entry<FakeTable.Key, SourceRow>> it = table.rowsAfter(position).entrySet().iterator();
        while (rows.size() < limit && it.hasNext()) {
            Map.Entry<FakeTable.Key, SourceRow> entry = it.next();
            position = entry.getKey();
            rows.add(entry.getValue());
        }
        if (rows.isEmpty()) {
            return null;
        }
        rowsHandedOut += rows.size();
        RowBatch batch = new RowBatch(rows);
        table.afterBatch();
        return batch;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
