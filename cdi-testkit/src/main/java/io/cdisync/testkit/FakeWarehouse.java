package io.cdisync.testkit;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceRow;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * An in-memory warehouse of CDI tables, for tests: each {@link FakeTable} holds rows with the CDI
 * columns, can be edited between and during syncs, and can fail on demand.
 * {@link #connector(String)} gives the {@link SourceConnector} a {@code SyncRunner} reads from.
 *
 * <pre>{@code
 * FakeWarehouse warehouse = new FakeWarehouse();
 * FakeTable users = warehouse.createTable("users");
 * users.insert(FakeTable.attributes(Instant.parse("2026-01-01T00:00:00Z"), "user-1", "{\"plan\":\"gold\"}"));
 * SyncRunner runner = SyncRunner.builder().source(warehouse.connector("users"))...build();
 * }</pre>
 *
 * <p>Strict like a real warehouse: reading a table that does not exist fails with a
 * {@link CdiException.ConfigurationError}. Thread-safe.
 */
public final class FakeWarehouse {
    private final Map<String, FakeTable> tables = new ConcurrentHashMap<>();
    private final Map<String, FakeGeneratedTable> generated = new ConcurrentHashMap<>();

    /** Creates an empty table. */
    public FakeTable createTable(String name) {
        Objects.requireNonNull(name, "name");
        FakeTable table = new FakeTable(name);
        if (generated.containsKey(name) || tables.putIfAbsent(name, table) != null) {
            throw new IllegalStateException("table " + name + " already exists");
        }
        return table;
    }

    /**
     * Creates a read-only table of {@code rows} rows made on the fly, row {@code i} being
     * {@code generator.apply(i)}: nothing is held in memory, whatever the size. The generator must give
     * rows in UPDATED_AT order; see {@link FakeGeneratedTable}.
     *
     * @param name      the table name, unique among this warehouse's tables
     * @param rows      how many rows, at least 0
     * @param generator row {@code i} for {@code i} in {@code [0, rows)}; a pure function of {@code i}
     * @return the table
     */
    public FakeGeneratedTable generatedTable(String name, long rows, LongFunction<SourceRow> generator) {
        Objects.requireNonNull(name, "name");
        FakeGeneratedTable table = new FakeGeneratedTable(name, rows, generator);
        if (tables.containsKey(name) || generated.putIfAbsent(name, table) != null) {
            throw new IllegalStateException("table " + name + " already exists");
        }
        return table;
    }

    /** An existing table. */
    public FakeTable table(String name) {
        FakeTable table = tables.get(name);
        if (table == null) {
            throw new IllegalArgumentException("no table " + name + "; tables: " + new TreeMap<>(tables).keySet()
                    + (generated.containsKey(name) ? " (" + name + " is a generated table)" : ""));
        }
        return table;
    }

    /** Drops a table; connectors reading it fail from then on, as with a real missing table. */
    public void dropTable(String name) {
        tables.remove(name);
        generated.remove(name);
    }

    /** A connector reading {@code tableName}; the table is looked up at each read, so it may be created later. */
    public FakeSourceConnector connector(String tableName) {
        return new FakeSourceConnector(this, tableName);
    }

    /** Opens a read of a table of either kind. */
    RowStream read(String name, ReadRequest request, Runnable onClose) {
        FakeGeneratedTable table = generated.get(name);
        if (table != null) {
            return table.stream(request, onClose);
        }
        FakeTable stored = lookup(name);
        stored.beforeRead();
        return new FakeRowStream(stored, request, onClose);
    }

    /** Checks that a table of either kind exists and can be read. */
    void check(String name) {
        if (!generated.containsKey(name)) {
            lookup(name).beforeRead();
        }
    }

    FakeTable lookup(String name) {
        FakeTable table = tables.get(name);
        if (table == null) {
            throw new CdiException.ConfigurationError("table " + name + " does not exist or is not visible to this user;"
                    + " check the table name and grants");
        }
        return table;
    }
}
