package io.cdisync.snowflake;

import io.cdisync.braze.Secret;
import io.cdisync.core.jdbc.JdbcBackedSource;
import io.cdisync.core.jdbc.JdbcSource;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TableName;
import io.cdisync.snowflake.internal.PemKeys;
import io.cdisync.snowflake.internal.SnowflakeConnections;
import io.cdisync.snowflake.internal.SnowflakeDialect;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A CDI source table or view in Snowflake, read with key-pair authentication.
 *
 * <pre>{@code
 * SnowflakeSource source = SnowflakeSource.builder()
 *         .account("myorg-myaccount")                      // https://myorg-myaccount.snowflakecomputing.com
 *         .user("CDI_USER")
 *         .privateKeyFile(Path.of("/etc/cdi/rsa_key.p8"))   // or privateKey(Secret.of(pem))
 *         .privateKeyPassphrase(Secret.of(passphrase))      // for an encrypted key
 *         .warehouse("CDI_WH").role("CDI_ROLE")
 *         .database("ANALYTICS").schema("BRAZE").table("USERS_SYNC")
 *         .build();
 * source.check();
 * }</pre>
 *
 * <p>A thin layer over cdi-core's {@link JdbcSource} with a Snowflake {@link SqlDialect}: every read selects
 * the CDI columns present with {@code WHERE "UPDATED_AT" >= ? AND "UPDATED_AT" <= ? ORDER BY "UPDATED_AT"},
 * the bounds bound as TIMESTAMP_NTZ (a UTC wall time) or, for a TIMESTAMP_TZ/LTZ column, as an instant.
 * TIMESTAMP_NTZ values are read as UTC, zoned ones converted to UTC; PAYLOAD (VARCHAR, VARIANT or OBJECT)
 * is read as JSON text. Names match case-insensitively (Snowflake stores unquoted names upper-case).
 *
 * <p>Connection properties set by default (each can be changed with {@link Builder#connectionProperty}):
 * {@code CLIENT_METADATA_REQUEST_USE_CONNECTION_CTX=true}, so looking the table up searches the configured
 * database only (not {@code SHOW COLUMNS IN ACCOUNT}), and {@code JDBC_QUERY_RESULT_FORMAT=JSON}, the result
 * format this module is tested with (Arrow needs {@code --add-opens} on recent JVMs).
 *
 * <p>A refused login becomes {@link io.cdisync.core.CdiException.AccessDenied} naming the user, the key's
 * fingerprint and the {@code ALTER USER} statement that fixes it; other failures are classified by cdi-core's
 * {@link io.cdisync.core.jdbc.JdbcErrors}. No message holds the key or its passphrase. Immutable and thread-safe.
 */
public final class SnowflakeSource extends JdbcBackedSource {
    /** Credentials are given through the builder's typed methods, never as raw properties. */
    private static final Set<String> RESERVED = Set.of("user", "password", "authenticator", "privatekey", "private_key_file",
            "private_key_file_pwd", "private_key_base64", "private_key_pwd", "token");

    private final String description;

    private SnowflakeSource(JdbcSource delegate, String description) {
        super(delegate);
        this.description = description;
    }

    /** A builder; account (or url), user, a private key, database, schema and table are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "SnowflakeSource{" + description + "}";
    }

    /** Settings of a {@link SnowflakeSource}; the read settings (fetch size, ...) are {@link JdbcBackedSource.Builder}'s. */
    public static final class Builder extends JdbcBackedSource.Builder<Builder> {
        private String account;
        private URI url;
        private String user;
        private Secret privateKey;
        private Path privateKeyFile;
        private Secret passphrase;
        private String warehouse;
        private String role;
        private String database;
        private String schema;
        private String table;
        private Duration loginTimeout;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The account identifier, e.g. {@code myorg-myaccount} or a legacy locator with its region
         * ({@code xy12345.eu-central-1}): connects to {@code https://<account>.snowflakecomputing.com}.
         * With {@link #url}, it is the account name the login token carries.
         */
        public Builder account(String account) {
            this.account = requireText(account, "account");
            return this;
        }

        /**
         * The account URL, e.g. {@code https://myorg-myaccount.privatelink.snowflakecomputing.com}, instead of
         * the one {@link #account} implies. An {@code http://} URL (a local stub in tests) connects with
         * {@code ssl=off}. An explicit URL always sets {@code disablePlatformDetection=true}: otherwise the
         * driver probes cloud metadata addresses (169.254.169.254 and others) on every login to report its platform.
         */
        public Builder url(String url) {
            this.url = requireHttpUrl(url);
            return this;
        }

        /** The login name (required). */
        public Builder user(String user) {
            this.user = requireText(user, "user");
            return this;
        }

        /** The private key as PKCS#8 PEM text (this or {@link #privateKeyFile} is required). */
        public Builder privateKey(Secret privateKeyPem) {
            this.privateKey = Objects.requireNonNull(privateKeyPem, "privateKey");
            this.privateKeyFile = null;
            return this;
        }

        /** A PKCS#8 PEM file, read again on every connection, so replacing the file rotates the key without a restart. */
        public Builder privateKeyFile(Path file) {
            this.privateKeyFile = Objects.requireNonNull(file, "privateKeyFile");
            this.privateKey = null;
            return this;
        }

        /** The passphrase of an encrypted key ({@code BEGIN ENCRYPTED PRIVATE KEY}). */
        public Builder privateKeyPassphrase(Secret passphrase) {
            this.passphrase = Objects.requireNonNull(passphrase, "privateKeyPassphrase");
            return this;
        }

        /** The virtual warehouse that runs the queries (default: the user's default warehouse). */
        public Builder warehouse(String warehouse) {
            this.warehouse = requireText(warehouse, "warehouse");
            return this;
        }

        /** The role (default: the user's default role). */
        public Builder role(String role) {
            this.role = requireText(role, "role");
            return this;
        }

        /** The database holding the table (required). */
        public Builder database(String database) {
            this.database = requireText(database, "database");
            return this;
        }

        /** The schema holding the table (required). */
        public Builder schema(String schema) {
            this.schema = requireText(schema, "schema");
            return this;
        }

        /** The table or view (required). */
        public Builder table(String table) {
            this.table = requireText(table, "table");
            return this;
        }

        /** How long a login may take, retries included (default: the driver's, 300 s). */
        public Builder loginTimeout(Duration loginTimeout) {
            Objects.requireNonNull(loginTimeout, "loginTimeout");
            if (loginTimeout.isNegative() || loginTimeout.isZero()) {
                throw new IllegalArgumentException("loginTimeout must be positive, was " + loginTimeout);
            }
            this.loginTimeout = loginTimeout;
            return this;
        }

        /**
         * Any other driver connection property or session parameter (e.g. {@code queryTag}, {@code proxyHost}),
         * applied after the defaults. Credentials cannot be given this way.
         *
         * @throws IllegalArgumentException for a credential property ({@code password}, {@code privateKey}, ...)
         */
        public Builder connectionProperty(String name, String value) {
            putConnectionProperty(properties, name, value, RESERVED,
                    "user(), privateKey() or privateKeyFile(), and privateKeyPassphrase()");
            return this;
        }

        /**
         * Builds the source; connects to nothing. A private key given as text is parsed now, so a bad key or
         * passphrase fails here.
         *
         * @throws IllegalStateException naming a missing setting
         * @throws io.cdisync.core.CdiException.ConfigurationError when the private key cannot be read
         */
        public SnowflakeSource build() {
            require(account != null || url != null, "account (or url)");
            require(user != null, "user");
            require(privateKey != null || privateKeyFile != null, "privateKey (or privateKeyFile)");
            require(database != null, "database");
            require(schema != null, "schema");
            require(table != null, "table");
            if (privateKey != null) {
                PemKeys.read(privateKey.reveal(), passphrase == null ? null : passphrase.reveal().toCharArray(), "privateKey");
            }
            String host = url != null ? url.getHost() : account + ".snowflakecomputing.com";
            boolean http = url != null && url.getScheme().equalsIgnoreCase("http");
            int port = url != null && url.getPort() > 0 ? url.getPort() : http ? 80 : 443;
            Map<String, String> info = new LinkedHashMap<>();
            info.put("db", database);
            info.put("schema", schema);
            if (warehouse != null) {
                info.put("warehouse", warehouse);
            }
            if (role != null) {
                info.put("role", role);
            }
            info.put("CLIENT_METADATA_REQUEST_USE_CONNECTION_CTX", "true");
            info.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
            if (loginTimeout != null) {
                info.put("loginTimeout", Long.toString(Math.max(1, loginTimeout.toSeconds())));
            }
            if (url != null) {
                info.put("disablePlatformDetection", "true");
            }
            if (http) {
                info.put("ssl", "off");
            }
            info.putAll(properties);
            SnowflakeConnections connections = new SnowflakeConnections("jdbc:snowflake://" + host + ":" + port, host + ":" + port,
                    url != null ? account : null, user, privateKey, privateKeyFile, passphrase, info);
            TableName name = new TableName(database, schema, table);
            return new SnowflakeSource(jdbcSource(connections, name, SnowflakeDialect.INSTANCE),
                    name + " on " + host + ":" + port + " as " + user);
        }
    }
}
