package io.cdisync.core.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing connections politely, so a pooled connection goes back as it came. */
public final class JdbcConnections {
    private static final Logger log = LoggerFactory.getLogger(JdbcConnections.class);

    private JdbcConnections() {
    }

    /**
     * Ends the read-only transaction (if autocommit was turned off), restores autocommit when asked, and
     * closes the connection; failures are logged, not thrown, since the work is already done or failed.
     */
    public static void closeQuietly(Connection connection, boolean restoreAutoCommit) {
        if (connection == null) {
            return;
        }
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback();
                if (restoreAutoCommit) {
                    connection.setAutoCommit(true);
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("resetting a connection before closing it failed: {}", e.getClass().getSimpleName());
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            log.debug("closing a connection failed: {}", e.getClass().getSimpleName());
        }
    }
}
