package io.cdisync.core.jdbc;

import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.internal.JdbcConnections;
import io.cdisync.core.jdbc.internal.JdbcRowStream;
import io.cdisync.core.jdbc.internal.SourceLayout;
import io.cdisync.core.jdbc.internal.TableResolver;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceConnector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CDI source over any JDBC database: one table or view with the CDI columns ({@link CdiColumn}),
 * read incrementally by UPDATED_AT.
 *
 * <pre>{@code
 * JdbcSource source = JdbcSource.builder()
 *         .connectionFactory(ConnectionFactory.of("jdbc:postgresql://db:5432/warehouse", "cdi", Secret.of(password)))
 *         .table("ingestion.users_sync")
 *         .dialect(SqlDialect.postgres())
 *         .build();
 * }</pre>
 *
 * <p>Each {@link #read} opens a connection, looks the table up in the database's metadata (names match
 * case-insensitively), selects exactly the CDI columns present with
 * {@code WHERE UPDATED_AT >= ? AND UPDATED_AT <= ? ORDER BY UPDATED_AT} (every value a bound parameter;
 * names quoted by the {@link SqlDialect}), and streams the result with a fetch size, in batches of the
 * request's {@code batchSize}: memory stays constant whatever the table's size. Rows whose UPDATED_AT is
 * NULL are never read. Zone-less UPDATED_AT values are read as UTC, zoned ones converted to UTC.
 *
 * <p>Immutable and thread-safe; reads may run concurrently, each on its own connection. Driver failures
 * become {@link CdiException}s through {@link JdbcErrors}, with messages that say what to fix and hold no
 * secret.
 */
public final class JdbcSource implements SourceConnector {
    private static final Logger log = LoggerFactory.getLogger(JdbcSource.class);

    private final ConnectionFactory connections;
    private final TableName table;
    private final SqlDialect dialect;
    private final int fetchSize;
    private final Duration queryTimeout;
    private final RequiredColumns requiredColumns;
    private final Set<JdbcRowStream> openStreams = ConcurrentHashMap.newKeySet();

    private JdbcSource(Builder builder) {
        this.connections = builder.connections;
        this.table = builder.table;
        this.dialect = builder.dialect;
        this.fetchSize = builder.fetchSize;
        this.queryTimeout = builder.queryTimeout;
        this.requiredColumns = builder.requiredColumns;
    }

    /** A builder; {@code connectionFactory} (or {@code dataSource}) and {@code table} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this source's settings, to derive a variant. */
    public Builder toBuilder() {
        return new Builder().connectionFactory(connections).table(table).dialect(dialect).fetchSize(fetchSize)
                .queryTimeout(queryTimeout).requiredColumns(requiredColumns);
    }

    /**
     * Opens the incremental read. Called by the engine on the sync's thread; blocks while connecting,
     * reading metadata and executing the query.
     *
     * @throws CdiException.ConnectionFailed when the database cannot be reached
     * @throws CdiException.AccessDenied     for a refused login or a missing grant
     * @throws CdiException.ConfigurationError for a missing table or column, or UPDATED_AT of a wrong type
     */
    @Override
    public RowStream read(ReadRequest request) {
        Objects.requireNonNull(request, "request");
        JdbcErrors errors = JdbcErrors.of(connections);
        Connection connection = connect(errors);
        PreparedStatement statement = null;
        boolean restoreAutoCommit = false;
        SourceLayout layout = null;
        try {
            errors = errors.withUser(connection.getMetaData().getUserName());
            layout = layout(connection, errors);
            restoreAutoCommit = connection.getAutoCommit();
            dialect.prepareForStreaming(connection);
            String sql = dialect.incrementalQuery(layout.table(), layout.columnNames(), layout.updatedAtName(), request.from() != null);
            log.debug("reading {}: {}", describe(), sql);
            statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(fetchSize > 0 ? fetchSize : request.batchSize());
            if (!queryTimeout.isZero()) {
                statement.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
            }
            int parameter = 1;
            if (request.from() != null) {
                dialect.bindTimestamp(statement, parameter++, request.from(), layout.zoned());
            }
            dialect.bindTimestamp(statement, parameter, request.until(), layout.zoned());
            ResultSet resultSet = statement.executeQuery();
            JdbcRowStream stream = new JdbcRowStream(connection, restoreAutoCommit, statement, resultSet, layout, dialect, errors,
                    request.batchSize(), openStreams::remove);
            openStreams.add(stream);
            return stream;
        } catch (SQLException e) {
            closeQuietly(statement);
            JdbcConnections.closeQuietly(connection, restoreAutoCommit);
            throw errors.classify(e, (layout == null ? table : layout.table()).toString(), "reading " + table);
        } catch (RuntimeException e) {
            closeQuietly(statement);
            JdbcConnections.closeQuietly(connection, restoreAutoCommit);
            throw e;
        }
    }

    /**
     * Tests the source like Braze's "test connection": connects, finds the table or view, checks the
     * required columns and UPDATED_AT's type, and runs a query that reads no row
     * ({@code SELECT ... WHERE 1=0}) to prove the SELECT grant. Blocks while it talks to the database.
     *
     * @throws CdiException.ConnectionFailed, CdiException.AccessDenied or CdiException.ConfigurationError
     *         with a message that says what to fix
     */
    @Override
    public void check() {
        JdbcErrors errors = JdbcErrors.of(connections);
        Connection connection = connect(errors);
        try {
            errors = errors.withUser(connection.getMetaData().getUserName());
            SourceLayout layout = layout(connection, errors);
            try (PreparedStatement probe = connection.prepareStatement(dialect.probeQuery(layout.table(), layout.columnNames()))) {
                if (!queryTimeout.isZero()) {
                    probe.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
                }
                try (ResultSet rs = probe.executeQuery()) {
                    rs.next();
                }
            } catch (SQLException e) {
                throw errors.classify(e, layout.table().toString(), "checking " + layout.table());
            }
            log.info("checked {}: columns {}", describe(), layout.columnNames());
        } catch (SQLException e) {
            throw errors.classify(e, table.toString(), "checking " + table);
        } finally {
            JdbcConnections.closeQuietly(connection, false);
        }
    }

    /** {@code "<dialect> table <name>"}, e.g. {@code "postgres table ingestion.users"}; no secrets. */
    @Override
    public String describe() {
        return dialect.name() + " table " + table;
    }

    /** Closes the reads still open (cancelling a fetch blocked on another thread). May be called from any thread. */
    @Override
    public void close() {
        for (JdbcRowStream stream : List.copyOf(openStreams)) {
            stream.close();
        }
    }

    /** The table as configured. */
    public TableName table() {
        return table;
    }

    /** The dialect. */
    public SqlDialect dialect() {
        return dialect;
    }

    @Override
    public String toString() {
        return "JdbcSource{" + describe() + ", target=" + connections.target() + "}";
    }

    private Connection connect(JdbcErrors errors) {
        try {
            Connection connection = connections.connect();
            if (connection == null) {
                throw new CdiException.ConnectionFailed("the connection factory for " + connections.target()
                        + " returned no connection (is the JDBC driver on the classpath?)", null);
            }
            return connection;
        } catch (SQLException e) {
            throw errors.classify(e, table.toString(), "connecting to " + connections.target());
        }
    }

    private SourceLayout layout(Connection connection, JdbcErrors errors) throws SQLException {
        String user = connection.getMetaData().getUserName();
        TableResolver.ResolvedTable resolved = TableResolver.resolve(connection, table,
                user == null || user.isBlank() ? "(the configured user)" : user, connections.target());
        return SourceLayout.of(resolved, requiredColumns, dialect);
    }

    private static void closeQuietly(PreparedStatement statement) {
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException | RuntimeException ignored) {
                // the connection is closed right after
            }
        }
    }

    /** Settings of a {@link JdbcSource}, with named defaults; the read settings are {@link JdbcBackedSource.Builder}'s. */
    public static final class Builder extends JdbcBackedSource.Builder<Builder> {
        private ConnectionFactory connections;
        private TableName table;
        private SqlDialect dialect = SqlDialect.standard();

        private Builder() {
        }

        /** Where connections come from (required, or {@link #dataSource}). */
        public Builder connectionFactory(ConnectionFactory connections) {
            this.connections = Objects.requireNonNull(connections, "connectionFactory");
            return this;
        }

        /** Connections from a (pooled) data source; same as {@code connectionFactory(ConnectionFactory.of(dataSource))}. */
        public Builder dataSource(DataSource dataSource) {
            return connectionFactory(ConnectionFactory.of(dataSource));
        }

        /**
         * The table or view: {@code table}, {@code schema.table} or {@code catalog.schema.table} (required).
         *
         * @throws IllegalArgumentException when the name is malformed (see {@link TableName#parse})
         */
        public Builder table(String table) {
            return table(TableName.parse(table));
        }

        /** The table or view (required). */
        public Builder table(TableName table) {
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /** The database's dialect (default {@link SqlDialect#standard()}). */
        public Builder dialect(SqlDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Builds the source; connects to nothing yet.
         *
         * @throws IllegalStateException naming the first missing setting
         */
        public JdbcSource build() {
            if (connections == null) {
                throw new IllegalStateException("connectionFactory (or dataSource) is required");
            }
            if (table == null) {
                throw new IllegalStateException("table is required");
            }
            return new JdbcSource(this);
        }
    }
}
