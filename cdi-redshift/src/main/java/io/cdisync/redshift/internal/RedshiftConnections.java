package io.cdisync.redshift.internal;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.JdbcErrors;
import io.cdisync.core.jdbc.JdbcUrls;
import io.cdisync.redshift.SshTunnel;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections to Redshift through Amazon's driver, called directly (not through {@code DriverManager}, so no
 * other driver on the class path can answer). User and password go as connection properties, never in the
 * URL. With an {@link SshTunnel}, the tunnel opens on the first connection and every connection goes through
 * it; a tunnel found closed (before a connection, or by a connection that failed) is opened again, and
 * {@link #close()} closes it.
 *
 * <p>Some driver answers are made clearer before {@link JdbcErrors} classifies them: a refused password or a
 * missing database that arrives as a protocol error ({@code 08P01}, as connection poolers such as pgbouncer send
 * them) gets Redshift's own SQLState ({@code 28P01}, {@code 3D000}), and "the server does not support SSL"
 * becomes a configuration error, since a real Redshift endpoint always does.
 */
public final class RedshiftConnections implements ConnectionFactory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedshiftConnections.class);

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final Secret password;
    private final boolean ssl;
    private final Map<String, String> driverProperties;
    private final SshTunnel tunnel;
    private final Duration connectTimeout;
    private final Driver driver = new com.amazon.redshift.Driver();
    private SshPortForward forward; // guarded by this

    /**
     * @param driverProperties every driver property but user and password (ssl, timeouts, application name...)
     * @param tunnel           the SSH tunnel to connect through, or null to connect directly
     */
    public RedshiftConnections(String host, int port, String database, String user, Secret password, boolean ssl,
            Map<String, String> driverProperties, SshTunnel tunnel, Duration connectTimeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.database = Objects.requireNonNull(database, "database");
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password");
        this.ssl = ssl;
        this.driverProperties = Map.copyOf(driverProperties);
        this.tunnel = tunnel;
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /**
     * Opens a connection (and the tunnel first, if there is one and it is not open).
     *
     * @throws SQLException as the driver reports it, with the refinements above
     * @throws CdiException from the tunnel (see {@link SshPortForward#open}) or for SSL refused by the server
     */
    @Override
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.putAll(driverProperties);
        properties.setProperty("user", user);
        properties.setProperty("password", password.reveal());
        if (tunnel == null) {
            try {
                return driver.connect(url(host, port), properties);
            } catch (SQLException e) {
                throw refine(e);
            }
        }
        SshPortForward tunnelled = openForward();
        try {
            return driver.connect(url("127.0.0.1", tunnelled.localPort()), properties);
        } catch (SQLException e) {
            if (tunnelled.isOpen()) {
                throw refine(e);
            }
            // The bastion dropped the session (restarted, idle timeout) before the keep-alive noticed: once more, anew.
            log.info("the SSH tunnel to {} had closed; opening it again", target());
            try {
                return driver.connect(url("127.0.0.1", openForward().localPort()), properties);
            } catch (SQLException again) {
                throw refine(again);
            }
        }
    }

    /** {@code host:port}, plus {@code via SSH bastion:port} with a tunnel; no secret. */
    @Override
    public String target() {
        return host + ":" + port + (tunnel == null ? "" : " via SSH bastion " + tunnel.host() + ":" + tunnel.port());
    }

    @Override
    public String user() {
        return user;
    }

    /** Masks password-like URL parameters, the password, and the key's passphrase. */
    @Override
    public String redact(String text) {
        String redacted = password.redact(JdbcUrls.redact(text));
        if (tunnel != null && tunnel.passphrase().isPresent()) {
            redacted = tunnel.passphrase().get().redact(redacted);
        }
        return redacted;
    }

    /** The JDBC URL, which holds no credentials: {@code jdbc:redshift://host:port/database}. */
    public String url() {
        return url(host, port);
    }

    /** Closes the tunnel, if one is open; the next {@link #connect()} opens a new one. */
    @Override
    public synchronized void close() {
        if (forward != null) {
            forward.close();
            forward = null;
        }
    }

    private synchronized SshPortForward openForward() {
        if (forward != null && !forward.isOpen()) {
            forward.close();
            forward = null;
        }
        if (forward == null) {
            forward = SshPortForward.open(tunnel, host, port, connectTimeout);
        }
        return forward;
    }

    private String url(String connectHost, int connectPort) {
        return "jdbc:redshift://" + connectHost + ":" + connectPort + "/" + database;
    }

    private SQLException refine(SQLException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (!state.startsWith("28") && message.contains("password authentication failed")) {
            return new SQLInvalidAuthorizationSpecException(e.getMessage(), "28P01", e);
        }
        if (!state.equals("3D000") && message.contains("database \"") && message.contains("does not exist")) {
            return new SQLException(e.getMessage(), "3D000", e);
        }
        if (ssl && message.contains("does not support ssl")) {
            throw new CdiException.ConfigurationError("the server at " + target() + " does not accept SSL connections, and"
                    + " every Redshift endpoint does: check the host and port. Turn SSL off only for a local test server"
                    + " (ssl=false)", JdbcErrors.of(this).sanitized(e));
        }
        return e;
    }

    @Override
    public String toString() {
        return "RedshiftConnections{" + url() + ", user=" + user + ", ssl=" + ssl + (tunnel == null ? "" : ", " + tunnel) + "}";
    }
}
