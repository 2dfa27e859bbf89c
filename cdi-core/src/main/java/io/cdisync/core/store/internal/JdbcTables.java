package io.cdisync.core.store.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.JdbcErrors;
import io.cdisync.core.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables of a JDBC store and the work done on them, shared by cdi's JDBC stores (the watermark store here,
 * the integration store and run log of the operating layer): a fresh connection per operation (give a pooled
 * data source when that is costly), in autocommit mode or in one transaction, the tables created on first use
 * (tolerating another process creating them at the same moment), and driver failures turned into the store's
 * own exception with a redacted message.
 *
 * <p><b>Not API.</b> Public only so that cdi's modules built on cdi-core can use it; it may change in any
 * release. Thread-safe.
 */
public final class JdbcTables {
    private static final Logger log = LoggerFactory.getLogger(JdbcTables.class);
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS ";

    private final ConnectionFactory connections;
    private final String what;
    private final List<Table> tables;
    private final List<String> optionalDdl;
    private final Failure failure;
    private volatile boolean ready;

    /**
     * A table, created with {@code CREATE TABLE IF NOT EXISTS name (columns)}.
     *
     * @param name    the name as the dialect writes it ({@link SqlDialect#qualifiedName})
     * @param columns the column and key definitions, without the parentheses
     */
    public record Table(String name, String columns) {
    }

    /** The store's exception for a failed operation. */
    @FunctionalInterface
    public interface Failure {
        /** An exception with this message and (redacted) cause. */
        RuntimeException of(String message, Throwable cause);
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** Runs statements on {@code connection}; the caller opens and closes it. */
        T run(Connection connection) throws SQLException;
    }

    /**
     * Tables of one store; nothing is created until the first {@link #run}.
     *
     * @param connections where connections come from
     * @param what        what the tables are, for messages ("run log tables cdi_runs and cdi_failed_rows")
     * @param tables      the tables to create on first use, or empty to create nothing
     * @param optionalDdl statements run after creating the tables that may fail without harm (indexes on
     *                    databases without {@code IF NOT EXISTS})
     * @param failure     the store's exception, e.g. {@code CdiException.WatermarkStoreFailure::new}
     */
    public JdbcTables(ConnectionFactory connections, String what, List<Table> tables, List<String> optionalDdl, Failure failure) {
        this.connections = connections;
        this.what = what;
        this.tables = List.copyOf(tables);
        this.optionalDdl = List.copyOf(optionalDdl);
        this.failure = failure;
    }

    /**
     * Runs {@code work} on a fresh connection, in autocommit mode ({@code transaction} false: each statement
     * stands alone and is durable when it returns) or in one transaction committed at the end and rolled back
     * on failure. The connection is handed back in the autocommit mode it came in. A {@link CdiException}
     * (or any other unchecked exception) thrown by the work passes as is; an {@link SQLException} becomes
     * the store's failure: "cannot DOING in WHAT: reason".
     *
     * @param doing what the work does, for messages ("commit the watermark of sync users")
     */
    public <T> T run(String doing, boolean transaction, Work<T> work) {
        Connection connection = null;
        boolean autoCommit = true;
        try {
            connection = connections.connect();
            autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
            ensureTables(connection);
            if (!transaction) {
                return work.run(connection);
            }
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
        } catch (SQLException e) {
            CdiException classified = JdbcErrors.of(connections).classify(e, what, "the statement");
            throw failure.of("cannot " + doing + " in " + what + ": " + classified.getMessage(), classified.getCause());
        } finally {
            if (connection != null) {
                try {
                    if (transaction || !autoCommit) {
                        connection.setAutoCommit(autoCommit); // hand a pooled connection back as it came
                    }
                    connection.close();
                } catch (SQLException | RuntimeException e) {
                    log.debug("closing a connection to {} failed: {}", connections.target(), e.getClass().getSimpleName());
                }
            }
        }
    }

    /** Binds {@code value} as a zoned timestamp, or SQL NULL when it is null. */
    public static void bindTimestampOrNull(SqlDialect dialect, PreparedStatement statement, int index, Instant value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            dialect.bindTimestamp(statement, index, value, true);
        }
    }

    private void ensureTables(Connection connection) throws SQLException {
        if (ready || tables.isEmpty()) {
            return;
        }
        for (Table table : tables) {
            String ddl = CREATE + table.name() + " (" + table.columns() + ")";
            try (Statement statement = connection.createStatement()) {
                statement.execute(ddl);
            } catch (SQLException e) {
                // Two processes creating a table at once: one may fail on the catalog's unique index. Fine if it exists now.
                log.debug("{}: {} failed ({}); checking the table exists", what, ddl, e.getSQLState());
                try (Statement probe = connection.createStatement()) {
                    probe.executeQuery("SELECT 1 FROM " + table.name() + " WHERE 1=0").close();
                } catch (SQLException again) {
                    throw e;
                }
            }
        }
        for (String statement : optionalDdl) {
            try (Statement s = connection.createStatement()) {
                s.execute(statement);
            } catch (SQLException e) {
                log.debug("{}: optional {} failed: {}", what, statement, e.getSQLState());
            }
        }
        ready = true;
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed: {}", e.getSQLState());
        }
    }
}
