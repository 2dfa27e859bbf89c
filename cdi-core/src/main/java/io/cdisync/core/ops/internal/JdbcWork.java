package io.cdisync.core.ops.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.JdbcErrors;
import io.cdisync.core.ops.OpsException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection handling of the JDBC integration store and run log, as the JDBC watermark store does it: a
 * fresh connection per operation (give a pooled data source when that is costly), the tables created on
 * first use, and driver failures turned into {@link OpsException.StoreFailure}s with redacted messages.
 */
public final class JdbcWork {
    private static final Logger log = LoggerFactory.getLogger(JdbcWork.class);

    private final ConnectionFactory connections;
    private final String what;
    private final List<String> ddl;
    private final List<String> optionalDdl;
    private volatile boolean ready;

    /**
     * @param connections where connections come from
     * @param what        what the tables are, for messages ("run log table cdi_runs")
     * @param ddl         statements creating the tables ({@code CREATE TABLE IF NOT EXISTS}), or empty to create nothing
     * @param optionalDdl statements that may fail without harm (indexes on databases without {@code IF NOT EXISTS})
     */
    public JdbcWork(ConnectionFactory connections, String what, List<String> ddl, List<String> optionalDdl) {
        this.connections = connections;
        this.what = what;
        this.ddl = List.copyOf(ddl);
        this.optionalDdl = List.copyOf(optionalDdl);
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a fresh connection, in autocommit mode ({@code transaction} false: each
     * statement stands alone) or in one transaction committed at the end and rolled back on failure.
     * A {@link CdiException} thrown by the work passes as is.
     *
     * @param doing what the work does, for messages
     */
    public <T> T run(String doing, boolean transaction, Work<T> work) {
        Connection connection = null;
        boolean autoCommit = true;
        try {
            connection = connections.connect();
            autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
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
            throw new OpsException.StoreFailure("cannot " + doing + " in " + what + ": " + classified.getMessage(),
                    classified.getCause());
        } finally {
            if (connection != null) {
                try {
                    connection.setAutoCommit(autoCommit); // hand a pooled connection back as it came
                    connection.close();
                } catch (SQLException | RuntimeException e) {
                    log.debug("closing a connection to {} failed: {}", connections.target(), e.getClass().getSimpleName());
                }
            }
        }
    }

    private void ensureTables(Connection connection) throws SQLException {
        if (ready || ddl.isEmpty()) {
            return;
        }
        for (String statement : ddl) {
            try (Statement s = connection.createStatement()) {
                s.execute(statement);
            } catch (SQLException e) {
                // Two processes creating a table at once: one may fail on the catalog's unique index. Fine if it exists now.
                log.debug("{}: {} failed ({}); checking the table exists", what, statement, e.getSQLState());
                if (!statement.startsWith("CREATE TABLE IF NOT EXISTS ")) {
                    throw e;
                }
                String table = statement.substring("CREATE TABLE IF NOT EXISTS ".length()).split(" \\(", 2)[0];
                try (Statement probe = connection.createStatement()) {
                    probe.executeQuery("SELECT 1 FROM " + table + " WHERE 1=0").close();
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
