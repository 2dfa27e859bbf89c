package io.cdisync.core.store;

import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.JdbcErrors;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection handling of {@link JdbcWatermarkStore}: one connection per operation, in autocommit mode
 * (every statement stands alone and is durable when it returns), the table created on first use, and
 * driver failures turned into {@link CdiException.WatermarkStoreFailure}s with redacted messages.
 */
final class WatermarkTable {
    private static final Logger log = LoggerFactory.getLogger(WatermarkTable.class);
    static final int MAX_OWNER = 255;

    private final ConnectionFactory connections;
    private final SqlDialect dialect;
    private final TableName name;
    private final boolean create;
    private volatile boolean ready;

    WatermarkTable(ConnectionFactory connections, SqlDialect dialect, TableName name, boolean create) {
        this.connections = connections;
        this.dialect = dialect;
        this.name = name;
        this.create = create;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a fresh connection. A {@link CdiException} thrown by the work passes as is.
     *
     * @param doing what the work does, for messages ("commit the watermark of sync users")
     */
    <T> T run(String doing, Work<T> work) {
        JdbcErrors errors = JdbcErrors.of(connections);
        Connection connection = null;
        boolean autoCommit = true;
        try {
            connection = connections.connect();
            autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
            ensureTable(connection);
            return work.run(connection);
        } catch (SQLException e) {
            CdiException classified = errors.classify(e, name.toString(), "the statement");
            throw new CdiException.WatermarkStoreFailure("cannot " + doing + " in " + name + ": " + classified.getMessage(),
                    classified.getCause());
        } finally {
            if (connection != null) {
                try {
                    if (!autoCommit) {
                        connection.setAutoCommit(false); // hand a pooled connection back as it came
                    }
                    connection.close();
                } catch (SQLException | RuntimeException e) {
                    log.debug("closing a connection to {} failed: {}", connections.target(), e.getClass().getSimpleName());
                }
            }
        }
    }

    private void ensureTable(Connection connection) throws SQLException {
        if (ready || !create) {
            return;
        }
        String table = dialect.qualifiedName(name);
        String ddl = "CREATE TABLE IF NOT EXISTS " + table + " (sync_id VARCHAR(128) NOT NULL PRIMARY KEY,"
                + " version BIGINT NOT NULL, watermark " + dialect.textType() + ", updated_at " + dialect.zonedTimestampType()
                + " NOT NULL, lease_owner VARCHAR(" + MAX_OWNER + "), lease_expires_at " + dialect.zonedTimestampType() + ")";
        try (Statement statement = connection.createStatement()) {
            statement.execute(ddl);
        } catch (SQLException e) {
            // Two stores creating the table at once: one may fail on the catalog's unique index. Fine if it exists now.
            try (Statement probe = connection.createStatement()) {
                probe.executeQuery("SELECT sync_id FROM " + table + " WHERE 1=0").close();
            } catch (SQLException again) {
                throw e;
            }
        }
        ready = true;
    }
}
