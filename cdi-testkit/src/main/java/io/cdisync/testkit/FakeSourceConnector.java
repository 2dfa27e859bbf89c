package io.cdisync.testkit;

import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceConnector;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link SourceConnector} of a {@link FakeWarehouse} table. Like a connector whose warehouse cannot
 * filter by the upper bound, it returns every row from {@code from} on, so the engine's hold-back of
 * future rows is exercised. Counts open streams so tests can assert nothing is left open.
 */
public final class FakeSourceConnector implements SourceConnector {
    private final FakeWarehouse warehouse;
    private final String tableName;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();

    FakeSourceConnector(FakeWarehouse warehouse, String tableName) {
        this.warehouse = warehouse;
        this.tableName = tableName;
    }

    @Override
    public RowStream read(ReadRequest request) {
        RowStream stream = warehouse.read(tableName, request, open::decrementAndGet);
        reads.incrementAndGet();
        open.incrementAndGet();
        return stream;
    }

    @Override
    public void check() {
        warehouse.check(tableName);
    }

    @Override
    public String describe() {
        return "fake table " + tableName;
    }

    /** Streams opened and not yet closed. */
    public int openStreams() {
        return open.get();
    }

    /** Reads started so far. */
    public int reads() {
        return reads.get();
    }
}
