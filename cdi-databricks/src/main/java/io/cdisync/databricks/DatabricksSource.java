package io.cdisync.databricks;

import io.cdisync.braze.Secret;
import io.cdisync.core.jdbc.JdbcBackedSource;
import io.cdisync.core.jdbc.JdbcSource;
import io.cdisync.core.jdbc.TableName;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowStream;
import io.cdisync.databricks.internal.DatabricksConnections;
import io.cdisync.databricks.internal.DatabricksDialect;
import io.cdisync.databricks.internal.WarmupRetry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A CDI source table or view on a Databricks SQL warehouse, read with a personal access token.
 *
 * <pre>{@code
 * DatabricksSource source = DatabricksSource.builder()
 *         .host("dbc-a1b2c3d4-e5f6.cloud.databricks.com")
 *         .httpPath("/sql/1.0/warehouses/1234567890abcdef")
 *         .token(Secret.of(System.getenv("DATABRICKS_TOKEN")))
 *         .catalog("main").schema("braze").table("users_sync")
 *         .warmupListener(w -> progress.println(w.message()))   // optional
 *         .build();
 * source.check();   // waits for a cold warehouse (up to warmupTimeout) instead of failing
 * }</pre>
 *
 * <p>A thin layer over cdi-core's {@link JdbcSource} with a Databricks dialect: backtick-quoted names,
 * {@code WHERE `UPDATED_AT` >= ? AND `UPDATED_AT` <= ? ORDER BY `UPDATED_AT`} with the bounds bound as
 * ISO-8601 UTC strings, TIMESTAMP read as an instant (TIMESTAMP_NTZ as UTC), PAYLOAD as STRING, STRUCT or
 * MAP all passed on as JSON text.
 *
 * <p><b>Warm-up.</b> A stopped classic or pro SQL warehouse takes 2–5 minutes to start. When the driver
 * reports that condition (HTTP 503, {@code TEMPORARILY_UNAVAILABLE}), {@link #check()} and {@link #read}
 * wait {@link Builder#warmupRetryInterval} and try again, up to {@link Builder#warmupTimeout} (default 6
 * minutes), logging each wait and telling the {@link WarmupListener}
 * ("Databricks SQL warehouse is starting; retrying in 20 s (elapsed 1 min of 6 min)"). Past the bound the
 * failure is {@link io.cdisync.core.CdiException.ConnectionFailed}. No other failure is retried here.
 *
 * <p>Driver settings used by default (each can be changed with {@link Builder#connectionProperty}):
 * {@code UseThriftClient=0} (the SQL Statement Execution REST API, the mode tested here),
 * {@code EnableMultipleCatalogSupport=0} (table lookups search the configured catalog only),
 * {@code ConnCatalog}/{@code ConnSchema} from the builder, and {@code EnableTelemetry=0}. A refused token
 * or a missing warehouse permission is {@link io.cdisync.core.CdiException.AccessDenied}; the token never
 * appears in a message. Immutable and thread-safe.
 */
public final class DatabricksSource extends JdbcBackedSource {
    /** The token is given through {@link Builder#token}, never as a raw property. */
    private static final Set<String> RESERVED = Set.of("uid", "pwd", "password", "user", "authmech", "auth_accesstoken", "token");

    private final WarmupRetry warmup;
    private final String warehouse;

    private DatabricksSource(JdbcSource delegate, WarmupRetry warmup, String warehouse) {
        super(delegate);
        this.warmup = warmup;
        this.warehouse = warehouse;
    }

    /** A builder; host (or url), httpPath, token, catalog, schema and table are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens an incremental read (see {@link JdbcSource#read}), waiting for a starting warehouse within the
     * warm-up bound. Blocks while it connects and runs the query.
     */
    @Override
    public RowStream read(ReadRequest request) {
        return warmup.run("reading " + table(), warehouse, () -> super.read(request));
    }

    /** Connects (waiting for a starting warehouse), finds the table, checks its columns, and runs a query that reads no row. */
    @Override
    public void check() {
        warmup.run("checking " + table(), warehouse, () -> {
            super.check();
            return null;
        });
    }

    @Override
    public String toString() {
        return "DatabricksSource{" + table() + " on " + warehouse + "}";
    }

    /** Settings of a {@link DatabricksSource}, with named defaults; the read settings are {@link JdbcBackedSource.Builder}'s. */
    public static final class Builder extends JdbcBackedSource.Builder<Builder> {
        /** Default bound on waiting for a starting warehouse. */
        public static final Duration DEFAULT_WARMUP_TIMEOUT = Duration.ofMinutes(6);
        /** Default wait between attempts while the warehouse starts. */
        public static final Duration DEFAULT_WARMUP_RETRY_INTERVAL = Duration.ofSeconds(20);

        private String host;
        private URI url;
        private String httpPath;
        private Secret token;
        private String catalog;
        private String schema;
        private String table;
        private Duration warmupTimeout = DEFAULT_WARMUP_TIMEOUT;
        private Duration warmupRetryInterval = DEFAULT_WARMUP_RETRY_INTERVAL;
        private WarmupListener warmupListener;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /** The workspace host, e.g. {@code dbc-a1b2c3d4-e5f6.cloud.databricks.com} (HTTPS, port 443). */
        public Builder host(String host) {
            this.host = requireText(host, "host");
            return this;
        }

        /**
         * The workspace URL instead of {@link #host}, e.g. {@code https://adb-123.4.azuredatabricks.net:443}; an
         * {@code http://} URL (a local stub in tests) connects without TLS ({@code ssl=0}).
         */
        public Builder url(String url) {
            this.url = requireHttpUrl(url);
            return this;
        }

        /** The SQL warehouse's HTTP path, e.g. {@code /sql/1.0/warehouses/1234567890abcdef} (required). */
        public Builder httpPath(String httpPath) {
            String path = requireText(httpPath, "httpPath");
            if (path.contains(";")) {
                throw new IllegalArgumentException("httpPath must not contain ';'");
            }
            this.httpPath = path.startsWith("/") ? path : "/" + path;
            return this;
        }

        /** A personal access token (required). */
        public Builder token(Secret token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** The Unity Catalog catalog holding the table (required; {@code hive_metastore} for the legacy metastore). */
        public Builder catalog(String catalog) {
            this.catalog = requireText(catalog, "catalog");
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

        /** How long to wait for a starting warehouse before failing (default 6 minutes; zero: do not wait). */
        public Builder warmupTimeout(Duration warmupTimeout) {
            Objects.requireNonNull(warmupTimeout, "warmupTimeout");
            if (warmupTimeout.isNegative()) {
                throw new IllegalArgumentException("warmupTimeout must not be negative, was " + warmupTimeout);
            }
            this.warmupTimeout = warmupTimeout;
            return this;
        }

        /** The wait between attempts while the warehouse starts (default 20 s). */
        public Builder warmupRetryInterval(Duration interval) {
            Objects.requireNonNull(interval, "warmupRetryInterval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("warmupRetryInterval must be positive, was " + interval);
            }
            this.warmupRetryInterval = interval;
            return this;
        }

        /** Told of each wait for a starting warehouse (default: none; every wait is logged at INFO anyway). */
        public Builder warmupListener(WarmupListener listener) {
            this.warmupListener = Objects.requireNonNull(listener, "warmupListener");
            return this;
        }

        /** The clock that measures the warm-up wait (default the system clock); tests inject their own. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How the warm-up waits (default {@link Sleeper#SYSTEM}); tests inject one that returns at once. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Any other driver setting (e.g. {@code EnableQueryResultDownload=0}, {@code SocketTimeout=60}), applied
         * after the defaults. The token cannot be given this way.
         *
         * @throws IllegalArgumentException for a credential property ({@code PWD}, {@code UID}, {@code AuthMech}, ...)
         */
        public Builder connectionProperty(String name, String value) {
            putConnectionProperty(properties, name, value, RESERVED, "token()");
            return this;
        }

        /**
         * Builds the source; connects to nothing.
         *
         * @throws IllegalStateException naming a missing setting
         */
        public DatabricksSource build() {
            require(host != null || url != null, "host (or url)");
            require(httpPath != null, "httpPath");
            require(token != null, "token");
            require(catalog != null, "catalog");
            require(schema != null, "schema");
            require(table != null, "table");
            String hostName = url != null ? url.getHost() : host;
            boolean http = url != null && url.getScheme().equalsIgnoreCase("http");
            int port = url != null && url.getPort() > 0 ? url.getPort() : http ? 80 : 443;
            String jdbcUrl = "jdbc:databricks://" + hostName + ":" + port + "/default;transportMode=http;ssl=" + (http ? 0 : 1)
                    + ";AuthMech=3;httpPath=" + httpPath;
            Map<String, String> info = new LinkedHashMap<>();
            info.put("UseThriftClient", "0");
            info.put("EnableMultipleCatalogSupport", "0");
            info.put("ConnCatalog", catalog);
            info.put("ConnSchema", schema);
            info.put("EnableTelemetry", "0");
            info.putAll(properties);
            String target = hostName + ":" + port;
            DatabricksConnections connections = new DatabricksConnections(jdbcUrl, target, httpPath, token, info);
            JdbcSource delegate = jdbcSource(connections, new TableName(catalog, schema, table), DatabricksDialect.INSTANCE);
            WarmupRetry warmup = new WarmupRetry(warmupTimeout, warmupRetryInterval, clock, sleeper, warmupListener, connections::redact);
            return new DatabricksSource(delegate, warmup, httpPath + " on " + target);
        }
    }
}
