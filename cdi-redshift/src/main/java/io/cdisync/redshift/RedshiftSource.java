package io.cdisync.redshift;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.JdbcBackedSource;
import io.cdisync.core.jdbc.JdbcSource;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TableName;
import io.cdisync.redshift.internal.RedshiftConnections;
import io.cdisync.redshift.internal.RedshiftDialect;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A CDI source on Amazon Redshift: one table or view with the CDI columns, read incrementally by UPDATED_AT
 * through Amazon's JDBC driver ({@code com.amazon.redshift:redshift-jdbc42}), with password authentication,
 * SSL on by default, and optionally through an {@link SshTunnel SSH tunnel} to a bastion host.
 *
 * <pre>{@code
 * RedshiftSource source = RedshiftSource.builder()
 *         .host("examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com")   // port 5439 unless set
 *         .database("dev")
 *         .user("braze_cdi")
 *         .password(Secret.of(System.getenv("REDSHIFT_PASSWORD")))
 *         .table("braze.users_sync")
 *         .build();
 * source.check();   // connects, finds the table and its columns, proves the SELECT grant
 * }</pre>
 *
 * <p>A thin layer over {@link JdbcSource}: reading, ordering, UTC handling and error classification are
 * cdi-core's, in Redshift's {@link #dialect() dialect}. UPDATED_AT may be {@code TIMESTAMP} (read as UTC) or
 * {@code TIMESTAMPTZ} (converted); PAYLOAD may be {@code VARCHAR} or {@code SUPER}, read as JSON text. Failures
 * are {@link CdiException}s that say what to fix: a refused password or a missing grant is
 * {@code AccessDenied}, a missing table or column {@code ConfigurationError}, an unreachable cluster or bastion
 * {@code ConnectionFailed}. The password is sent only to the driver, as a connection property; it appears in
 * no URL, message or {@code toString()}.
 *
 * <p>Immutable and thread-safe. Reads may run concurrently, each on its own connection (and SSH channel).
 * With a tunnel, the tunnel opens on the first connection and stays open between reads; {@link #close()}
 * closes it (and any open read), and a later read opens it again.
 */
public final class RedshiftSource extends JdbcBackedSource {
    /** Redshift's default port. */
    public static final int DEFAULT_PORT = 5439;
    /** How long connecting (TCP, SSL, login; and the SSH tunnel) may take by default. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The driver reads ahead into a ring buffer on a thread of its own, up to 1 GB by default; capped here so that a
     * sync's memory stays small whatever the table's size. Override with {@code driverProperty}.
     */
    static final String DEFAULT_FETCH_RING_BUFFER = "16M";
    private static final Set<String> RESERVED_PROPERTIES = Set.of("user", "uid", "password", "pwd", "ssl");

    private final Builder settings;
    private final RedshiftConnections connections;

    private RedshiftSource(Builder settings, RedshiftConnections connections, JdbcSource jdbc) {
        super(jdbc);
        this.settings = settings;
        this.connections = connections;
    }

    /** A builder; {@code host}, {@code database}, {@code user}, {@code password} and {@code table} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this source's settings, to derive a variant (e.g. another table). */
    public Builder toBuilder() {
        return settings.copy();
    }

    /** {@code "redshift table <name> on host:port/database"} (plus the bastion, with a tunnel); no secrets. */
    @Override
    public String describe() {
        return super.describe() + " on " + settings.host + ":" + settings.port + "/" + settings.database
                + (settings.tunnel == null ? "" : " via SSH bastion " + settings.tunnel.host() + ":" + settings.tunnel.port());
    }

    /** Closes the reads still open, then the SSH tunnel. May be called from any thread; the source stays usable. */
    @Override
    public void close() {
        try {
            super.close();
        } finally {
            connections.close();
        }
    }

    /** Redshift's dialect, e.g. for a {@code JdbcSource} built by hand over a pooled {@code DataSource}. */
    public SqlDialect dialect() {
        return RedshiftDialect.INSTANCE;
    }

    /** The JDBC URL connections use without a tunnel; it holds no credentials. */
    public String jdbcUrl() {
        return connections.url();
    }

    /** The SSH tunnel, if connections go through one. */
    public Optional<SshTunnel> sshTunnel() {
        return Optional.ofNullable(settings.tunnel);
    }

    @Override
    public String toString() {
        return "RedshiftSource{" + describe() + ", user=" + settings.user + ", ssl=" + settings.ssl
                + (settings.tunnel == null ? "" : ", " + settings.tunnel) + "}";
    }

    static String checkHost(String host, String what) {
        Objects.requireNonNull(host, what);
        String h = host.strip();
        if (h.isEmpty() || h.chars().anyMatch(c -> Character.isWhitespace(c) || "/?#@;&=\\".indexOf(c) >= 0)) {
            throw new IllegalArgumentException(what + " must be a host name or address (no scheme, port or path), was '" + host + "'");
        }
        return h;
    }

    static int checkPort(int port, String what) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(what + " must be between 1 and 65535, was " + port);
        }
        return port;
    }

    /** Settings of a {@link RedshiftSource}, with named defaults; the read settings are {@link JdbcBackedSource.Builder}'s. */
    public static final class Builder extends JdbcBackedSource.Builder<Builder> {
        private String host;
        private int port = DEFAULT_PORT;
        private String database;
        private String user;
        private Secret password;
        private TableName table;
        private boolean ssl = true;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private SshTunnel tunnel;
        private final Map<String, String> driverProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** The cluster's (or workgroup's) endpoint host, without port or database (required). */
        public Builder host(String host) {
            this.host = checkHost(host, "host");
            return this;
        }

        /** The port (default {@value RedshiftSource#DEFAULT_PORT}). */
        public Builder port(int port) {
            this.port = checkPort(port, "port");
            return this;
        }

        /** The database (required), e.g. {@code dev}. */
        public Builder database(String database) {
            Objects.requireNonNull(database, "database");
            if (database.isBlank() || database.chars().anyMatch(c -> Character.isWhitespace(c) || "/?#;&=\\".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("database must be a database name, was '" + database + "'");
            }
            this.database = database;
            return this;
        }

        /** The database user (required). */
        public Builder user(String user) {
            Objects.requireNonNull(user, "user");
            if (user.isBlank()) {
                throw new IllegalArgumentException("user must not be blank");
            }
            this.user = user;
            return this;
        }

        /** The user's password (required); only ever handed to the driver. */
        public Builder password(Secret password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * The table or view: {@code table} or {@code schema.table} (required). Names match case-insensitively.
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

        /**
         * Whether connections use SSL (default true, with the driver's default {@code sslmode=verify-ca} against
         * the Redshift certificate bundle it ships). Turn it off only for a local test server.
         */
        public Builder ssl(boolean ssl) {
            this.ssl = ssl;
            return this;
        }

        /** How long connecting may take: TCP, SSL and login, and each step of opening the SSH tunnel (default 30 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Connect through an SSH bastion host (default: connect directly). */
        public Builder sshTunnel(SshTunnel tunnel) {
            this.tunnel = Objects.requireNonNull(tunnel, "sshTunnel");
            return this;
        }

        /**
         * A property for Amazon's driver, e.g. {@code sslmode=verify-full} or {@code fetchRingBufferSize=16M}
         * (see the driver's documentation). User, password and SSL have their own setters and are refused here.
         * With a tunnel the driver connects to 127.0.0.1, so {@code verify-full} cannot match the cluster's name.
         */
        public Builder driverProperty(String name, String value) {
            Objects.requireNonNull(name, "driver property name");
            Objects.requireNonNull(value, "driver property value");
            if (RESERVED_PROPERTIES.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("driver property '" + name + "' has its own setter (user, password, ssl)");
            }
            driverProperties.put(name, value);
            return this;
        }

        /**
         * Builds the source; connects to nothing yet.
         *
         * @throws IllegalStateException naming the first missing setting
         */
        public RedshiftSource build() {
            require(host != null, "host");
            require(database != null, "database");
            require(user != null, "user");
            require(password != null, "password");
            require(table != null, "table");
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("ssl", Boolean.toString(ssl));
            properties.put("ApplicationName", "cdi");
            properties.put("tcpKeepAlive", "true");
            long seconds = Math.max(1, connectTimeout.toSeconds());
            properties.put("connectTimeout", Long.toString(seconds));
            properties.put("loginTimeout", Long.toString(seconds));
            properties.put("fetchRingBufferSize", DEFAULT_FETCH_RING_BUFFER);
            properties.putAll(driverProperties);
            RedshiftConnections connections = new RedshiftConnections(host, port, database, user, password, ssl, properties, tunnel,
                    connectTimeout);
            return new RedshiftSource(copy(), connections, jdbcSource(connections, table, RedshiftDialect.INSTANCE));
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.host = host;
            copy.port = port;
            copy.database = database;
            copy.user = user;
            copy.password = password;
            copy.table = table;
            copy.ssl = ssl;
            copy.connectTimeout = connectTimeout;
            copy.tunnel = tunnel;
            copy.driverProperties.putAll(driverProperties);
            return copy.readSettings(this);
        }
    }
}
