package io.cdisync.testkit;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceConnector;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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

    /** Creates an empty table. */
    public FakeTable createTable(String name) {
        Objects.requireNonNull(name, "name");
        FakeTable table = new FakeTable(name);
        if (tables.putIfAbsent(name, table) != null) {
            throw new IllegalStateException("table " + name + " already exists");
        }
        return table;
    }

    /** An existing table. */
    public FakeTable table(String name) {
        FakeTable table = tables.get(name);
        if (table == null) {
            throw new IllegalArgumentException("no table " + name + "; tables: " + new TreeMap<>(tables).keySet());
        }
        return table;
    }

    /** Drops a table; connectors reading it fail from then on, as with a real missing table. */
    public void dropTable(String name) {
        tables.remove(name);
    }

    /** A connector reading {@code tableName}; the table is looked up at each read, so it may be created later. */
    public FakeSourceConnector connector(String tableName) {
        return new FakeSourceConnector(this, tableName);
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
