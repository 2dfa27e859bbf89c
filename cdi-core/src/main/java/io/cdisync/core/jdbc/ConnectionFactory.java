package io.cdisync.core.jdbc;

import io.cdisync.braze.Secret;
import io.cdisync.core.jdbc.internal.DriverManagerConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Opens connections for a {@link JdbcSource} or a {@code JdbcWatermarkStore}: one per read, check or
 * store operation, closed when done. Give a pooled {@link DataSource} ({@link #of(DataSource)}) when
 * connections are expensive.
 *
 * <p>Called on the sync's thread; {@link #connect()} may block while the network connects. The other
 * methods describe the factory for error messages and must never reveal a secret.
 */
@FunctionalInterface
public interface ConnectionFactory {
    /**
     * Opens a new connection; the caller closes it.
     *
     * @throws SQLException as the driver reports it; callers classify it (see {@link JdbcErrors})
     */
    Connection connect() throws SQLException;

    /** Where connections go, for messages ({@code host:port}); never a secret. Default: "the database". */
    default String target() {
        return "the database";
    }

    /** The user connections log in as, for messages, or null when unknown. */
    default String user() {
        return null;
    }

    /**
     * Removes this factory's secrets from {@code text} (a driver message). The default masks
     * password-like URL parameters and user info ({@link JdbcUrls#redact(String)}).
     */
    default String redact(String text) {
        return JdbcUrls.redact(text);
    }

    /** Connections from a {@link DataSource} (pooled or not); the data source holds the credentials. */
    static ConnectionFactory of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return dataSource::getConnection;
    }

    /**
     * Connections from {@link java.sql.DriverManager} with a URL that carries no credentials (DuckDB,
     * or a driver that authenticates otherwise). Password-like URL parameters are still masked in messages.
     */
    static ConnectionFactory of(String url) {
        return new DriverManagerConnections(url, null, null);
    }

    /**
     * Connections from {@link java.sql.DriverManager} logging in as {@code user} with {@code password},
     * passed as connection properties (never in the URL). The password is masked in every message.
     */
    static ConnectionFactory of(String url, String user, Secret password) {
        return new DriverManagerConnections(url, Objects.requireNonNull(user, "user"),
                Objects.requireNonNull(password, "password"));
    }
}
