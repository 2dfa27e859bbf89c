package io.cdisync.core.ops;

import io.cdisync.core.RowError;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TableName;
import io.cdisync.core.ops.internal.OpsJson;
import io.cdisync.core.store.JdbcStoreBuilder;
import io.cdisync.core.store.internal.JdbcTables;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A run log in two database tables, shared by a fleet of workers: {@code cdi_runs} (one row per run) and
 * {@code cdi_failed_rows} (one row per failed row, keyed by integration and a hash of row key and
 * UPDATED_AT), created on first use. Tested on PostgreSQL and DuckDB; other databases go through the
 * {@link SqlDialect}. Failed rows are written in one transaction per batch and read as a stream, so
 * millions of them stay out of memory.
 *
 * <pre>{@code
 * JdbcRunLog runLog = JdbcRunLog.builder().dataSource(pool).dialect(SqlDialect.postgres()).build();
 * }</pre>
 *
 * <p>Thread-safe; each method opens one connection.
 */
public final class JdbcRunLog implements RunLog {
    private static final String FAILED_COLUMNS = "integration, row_id, row_key, updated_at, identifier, kind, reason, run_id,"
            + " recorded_at, first_recorded_at, attempts, row_data, seq, updated_at_text";
    /**
     * Orders failed rows as first recorded: the wall clock in microseconds, moved on by one per row when rows come
     * faster. Shared by the JVM's logs so that two logs on one table never interleave their numbers.
     */
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String RUN_COLUMNS = "run_id, integration, kind, status, rows_read, rows_delivered, rows_failed,"
            + " rows_skipped, last_updated_at, started_at, duration_ms, failure";

    private final SqlDialect dialect;
    private final String runs;
    private final String failed;
    private final RunLogRetention retention;
    private final JdbcTables work;

    private JdbcRunLog(Builder builder, ConnectionFactory connections, SqlDialect dialect) {
        this.dialect = dialect;
        this.runs = dialect.qualifiedName(builder.runsTable);
        this.failed = dialect.qualifiedName(builder.failedRowsTable);
        this.retention = builder.retention;
        String ts = dialect.zonedTimestampType();
        String text = dialect.textType();
        List<JdbcTables.Table> tables = List.of(
                new JdbcTables.Table(runs, "run_id VARCHAR(64) NOT NULL PRIMARY KEY, integration VARCHAR(128) NOT NULL,"
                        + " kind VARCHAR(16) NOT NULL, status VARCHAR(32) NOT NULL, rows_read BIGINT NOT NULL, rows_delivered BIGINT NOT NULL,"
                        + " rows_failed BIGINT NOT NULL, rows_skipped BIGINT NOT NULL, last_updated_at " + ts + ", started_at " + ts
                        + " NOT NULL, duration_ms BIGINT, failure " + text),
                new JdbcTables.Table(failed, "integration VARCHAR(128) NOT NULL, row_id VARCHAR(64) NOT NULL, row_key "
                        + text + " NOT NULL, updated_at " + ts + ", identifier " + text + ", kind VARCHAR(32) NOT NULL, reason " + text
                        + " NOT NULL, run_id VARCHAR(64) NOT NULL, recorded_at " + ts + " NOT NULL, first_recorded_at " + ts
                        + " NOT NULL, attempts INTEGER NOT NULL, row_data " + text + ", seq BIGINT NOT NULL, updated_at_text VARCHAR(40),"
                        + " PRIMARY KEY (integration, row_id)"));
        List<String> indexes = List.of(
                "CREATE INDEX IF NOT EXISTS " + dialect.quote(builder.runsTable.table() + "_by_integration") + " ON " + runs
                        + " (integration, started_at)");
        this.work = new JdbcTables(connections, "run log tables " + builder.runsTable + " and " + builder.failedRowsTable,
                builder.createTables ? tables : List.of(), builder.createTables ? indexes : List.of(), OpsException.StoreFailure::new);
    }

    /** A builder; {@code connectionFactory} (or {@code dataSource}) is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void runStarted(RunRecord run) {
        work.run("record the start of run " + run.runId(), false, connection -> {
            insertRun(connection, run);
            return null;
        });
    }

    @Override
    public void runFinished(RunRecord run) {
        work.run("record the end of run " + run.runId(), false, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + runs + " SET status = ?, rows_read = ?,"
                    + " rows_delivered = ?, rows_failed = ?, rows_skipped = ?, last_updated_at = ?, duration_ms = ?, failure = ?"
                    + " WHERE run_id = ?")) {
                bindOutcome(update, 1, run);
                update.setString(9, run.runId());
                if (update.executeUpdate() == 0) {
                    insertRun(connection, run);
                }
            }
            return null;
        });
    }

    @Override
    public Optional<RunRecord> run(String integration, String runId) {
        return work.run("read run " + runId, false, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + RUN_COLUMNS + " FROM " + runs
                    + " WHERE integration = ? AND run_id = ?")) {
                select.setString(1, integration);
                select.setString(2, runId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(readRun(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<RunRecord> runs(String integration, int limit) {
        return work.run("read the runs of " + integration, false, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + RUN_COLUMNS + " FROM " + runs
                    + " WHERE integration = ? ORDER BY started_at DESC, run_id DESC")) {
                select.setString(1, integration);
                select.setMaxRows(Math.max(0, limit));
                List<RunRecord> result = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next() && result.size() < limit) {
                        result.add(readRun(rs));
                    }
                }
                return result;
            }
        });
    }

    @Override
    public void recordFailedRows(List<FailedRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        work.run("record " + rows.size() + " failed rows", true, connection -> {
            Set<String> existing = existingRowIds(connection, rows);
            List<FailedRow> inserts = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + failed + " SET identifier = ?, kind = ?, reason = ?,"
                    + " run_id = ?, recorded_at = ?, attempts = ?, row_data = ? WHERE integration = ? AND row_id = ?")) {
                boolean updates = false;
                for (FailedRow row : rows) {
                    if (!existing.contains(row.integration() + "/" + rowId(row.key()))) {
                        inserts.add(row);
                        continue;
                    }
                    update.setString(1, row.identifier());
                    update.setString(2, row.kind().name());
                    update.setString(3, row.reason());
                    update.setString(4, row.runId());
                    dialect.bindTimestamp(update, 5, row.recordedAt(), true);
                    update.setInt(6, row.attempts());
                    update.setString(7, row.row() == null ? null : OpsJson.text(OpsJson.sourceRow(row.row())));
                    update.setString(8, row.integration());
                    update.setString(9, rowId(row.key()));
                    update.addBatch();
                    updates = true;
                }
                if (updates) {
                    update.executeBatch();
                }
            }
            Map<String, FailedRow> unique = new LinkedHashMap<>();
            inserts.forEach(row -> unique.put(row.integration() + "/" + rowId(row.key()), row));
            inserts = new ArrayList<>(unique.values());
            if (!inserts.isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + failed + " (" + FAILED_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (FailedRow row : inserts) {
                        insert.setString(1, row.integration());
                        insert.setString(2, rowId(row.key()));
                        insert.setString(3, row.rowKey());
                        JdbcTables.bindTimestampOrNull(dialect, insert, 4, row.updatedAt());
                        insert.setString(5, row.identifier());
                        insert.setString(6, row.kind().name());
                        insert.setString(7, row.reason());
                        insert.setString(8, row.runId());
                        dialect.bindTimestamp(insert, 9, row.recordedAt(), true);
                        dialect.bindTimestamp(insert, 10, row.recordedAt(), true);
                        insert.setInt(11, row.attempts());
                        insert.setString(12, row.row() == null ? null : OpsJson.text(OpsJson.sourceRow(row.row())));
                        insert.setLong(13, SEQUENCE.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() * 1000)));
                        // UPDATED_AT exactly (nanoseconds), as the row's key: the column may keep microseconds only.
                        insert.setString(14, row.updatedAt() == null ? null : row.updatedAt().toString());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            return null;
        });
    }

    @Override
    public void removeFailedRows(String integration, Collection<FailedRow.Key> keys) {
        if (keys.isEmpty()) {
            return;
        }
        work.run("remove " + keys.size() + " failed rows of " + integration, true, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + failed + " WHERE integration = ? AND row_id = ?")) {
                for (FailedRow.Key key : keys) {
                    delete.setString(1, integration);
                    delete.setString(2, rowId(key));
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void forEachFailedRow(String integration, Consumer<? super FailedRow> action) {
        work.run("read the failed rows of " + integration, true, connection -> {
            dialect.prepareForStreaming(connection);
            try (PreparedStatement select = connection.prepareStatement("SELECT " + FAILED_COLUMNS + " FROM " + failed
                    + " WHERE integration = ? ORDER BY seq")) {
                select.setString(1, integration);
                select.setFetchSize(500);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String data = rs.getString(12);
                        String exact = rs.getString(14);
                        action.accept(new FailedRow(rs.getString(1), rs.getString(3), exact == null ? null : Instant.parse(exact), rs.getString(5),
                                RowError.Kind.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8),
                                dialect.readTimestamp(rs, 9, true), rs.getInt(11), data == null ? null : OpsJson.sourceRow(OpsJson.parse(data))));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public RunLogRetention.Pruned prune(Clock clock) {
        Instant now = clock.instant();
        return work.run("prune the run log", true, connection -> {
            long rows;
            long pruned;
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + failed + " WHERE recorded_at < ?")) {
                dialect.bindTimestamp(delete, 1, retention.failedRowsCutoff(now), true);
                rows = delete.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + runs + " WHERE started_at < ?")) {
                dialect.bindTimestamp(delete, 1, retention.runsCutoff(now), true);
                pruned = delete.executeUpdate();
            }
            return new RunLogRetention.Pruned(pruned, rows);
        });
    }

    @Override
    public String toString() {
        return "JdbcRunLog{" + runs + ", " + failed + "}";
    }

    /** The {@code integration/row_id} of the given rows that are stored already, asked in chunks per integration. */
    private Set<String> existingRowIds(Connection connection, List<FailedRow> rows) throws SQLException {
        Map<String, List<String>> idsByIntegration = new LinkedHashMap<>();
        rows.forEach(row -> idsByIntegration.computeIfAbsent(row.integration(), k -> new ArrayList<>()).add(rowId(row.key())));
        Set<String> found = new HashSet<>();
        final int chunk = 200;
        for (Map.Entry<String, List<String>> entry : idsByIntegration.entrySet()) {
            List<String> ids = entry.getValue();
            for (int from = 0; from < ids.size(); from += chunk) {
                List<String> part = ids.subList(from, Math.min(ids.size(), from + chunk));
                try (PreparedStatement select = connection.prepareStatement("SELECT row_id FROM " + failed
                        + " WHERE integration = ? AND row_id IN (" + String.join(", ", Collections.nCopies(part.size(), "?")) + ")")) {
                    select.setString(1, entry.getKey());
                    for (int i = 0; i < part.size(); i++) {
                        select.setString(i + 2, part.get(i));
                    }
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            found.add(entry.getKey() + "/" + rs.getString(1));
                        }
                    }
                }
            }
        }
        return found;
    }

    private void insertRun(Connection connection, RunRecord run) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + runs + " (run_id, integration, kind, started_at,"
                + " status, rows_read, rows_delivered, rows_failed, rows_skipped, last_updated_at, duration_ms, failure)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, run.runId());
            insert.setString(2, run.integration());
            insert.setString(3, run.kind().name());
            dialect.bindTimestamp(insert, 4, run.startedAt(), true);
            bindOutcome(insert, 5, run);
            insert.executeUpdate();
        }
    }

    /** Binds status, rows read, delivered, failed and skipped, last UPDATED_AT, duration and failure: 8 parameters from {@code first}. */
    private void bindOutcome(PreparedStatement statement, int first, RunRecord run) throws SQLException {
        statement.setString(first, run.status().name());
        statement.setLong(first + 1, run.rowsRead());
        statement.setLong(first + 2, run.rowsDelivered());
        statement.setLong(first + 3, run.rowsFailed());
        statement.setLong(first + 4, run.rowsSkipped());
        JdbcTables.bindTimestampOrNull(dialect, statement, first + 5, run.lastUpdatedAt());
        if (run.duration() == null) {
            statement.setNull(first + 6, Types.BIGINT);
        } else {
            statement.setLong(first + 6, run.duration().toMillis());
        }
        statement.setString(first + 7, run.failure());
    }

    private RunRecord readRun(ResultSet rs) throws SQLException {
        long duration = rs.getLong(11);
        boolean running = rs.wasNull();
        return new RunRecord(rs.getString(1), rs.getString(2), RunRecord.Kind.valueOf(rs.getString(3)),
                RunStatus.valueOf(rs.getString(4)), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                dialect.readTimestamp(rs, 9, true), dialect.readTimestamp(rs, 10, true), running ? null : Duration.ofMillis(duration),
                rs.getString(12));
    }

    /** The failed row's id within its integration: a hash of its row key and UPDATED_AT (keys may be long). */
    static String rowId(FailedRow.Key key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key.rowKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(key.updatedAt()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Settings of a {@link JdbcRunLog}, with named defaults; connections and dialect are {@link JdbcStoreBuilder}'s. */
    public static final class Builder extends JdbcStoreBuilder<Builder> {
        private TableName runsTable = TableName.parse("cdi_runs");
        private TableName failedRowsTable = TableName.parse("cdi_failed_rows");
        private RunLogRetention retention = RunLogRetention.DEFAULT;
        private boolean createTables = true;

        private Builder() {
        }

        /** The runs table (default {@code cdi_runs}). */
        public Builder runsTable(String table) {
            this.runsTable = TableName.parse(table);
            return this;
        }

        /** The failed rows table (default {@code cdi_failed_rows}). */
        public Builder failedRowsTable(String table) {
            this.failedRowsTable = TableName.parse(table);
            return this;
        }

        /** How long things are kept (default {@link RunLogRetention#DEFAULT}). */
        public Builder retention(RunLogRetention retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** Whether the log creates its tables on first use (default true). */
        public Builder createTables(boolean createTables) {
            this.createTables = createTables;
            return this;
        }

        /**
         * Builds the log; connects to nothing yet.
         *
         * @throws IllegalStateException when no connection factory is set
         */
        public JdbcRunLog build() {
            return new JdbcRunLog(this, connections(), dialect());
        }
    }
}
