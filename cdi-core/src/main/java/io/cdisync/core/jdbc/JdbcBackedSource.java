package io.cdisync.core.jdbc;

import io.cdisync.core.DataType;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceConnector;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The base of a vendor source that reads through a {@link JdbcSource}: Snowflake, Databricks and Redshift are
 * each this plus their own login, dialect and connection settings. Reading, checking, describing and closing
 * go to the JdbcSource; a subclass overrides one only to add its own concern (Databricks waits for a starting
 * warehouse around {@link #read} and {@link #check}, Redshift closes its SSH tunnel after {@link #close}).
 *
 * <p>A vendor's builder extends {@link Builder}, which holds the read settings every JDBC source has (required
 * columns, fetch size, query timeout) with their checks, so they are written and validated once; it builds
 * the JdbcSource with {@link Builder#jdbcSource}. Immutable and thread-safe when the subclass is.
 */
public abstract class JdbcBackedSource implements SourceConnector {
    private final JdbcSource jdbc;

    /**
     * A source reading through {@code jdbc}.
     *
     * @param jdbc the source that does the reading; made by {@link Builder#jdbcSource}
     */
    protected JdbcBackedSource(JdbcSource jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    /**
     * Opens an incremental read (see {@link JdbcSource#read}). Called by the engine on the sync's thread; blocks
     * while it connects (logs in, opens a tunnel) and runs the query.
     *
     * @throws io.cdisync.core.CdiException.ConnectionFailed, {@code AccessDenied} or {@code ConfigurationError}
     */
    @Override
    public RowStream read(ReadRequest request) {
        return jdbc.read(request);
    }

    /**
     * Braze's "test connection": connects, finds the table, checks the required columns and UPDATED_AT's type,
     * and runs a query that reads no row to prove the SELECT grant.
     *
     * @throws io.cdisync.core.CdiException with a message that says what to fix
     */
    @Override
    public void check() {
        jdbc.check();
    }

    /** {@code "<dialect> table <name>"}, e.g. {@code "snowflake table DB.SCHEMA.TABLE"}; no secrets. */
    @Override
    public String describe() {
        return jdbc.describe();
    }

    /** Closes open reads; may be called from any thread. */
    @Override
    public void close() {
        jdbc.close();
    }

    /** The table as configured. */
    public TableName table() {
        return jdbc.table();
    }

    /** The JdbcSource this source reads through, for a subclass that wraps a call. */
    protected final JdbcSource jdbc() {
        return jdbc;
    }

    /**
     * The read settings every JDBC source shares, with their defaults and checks; a vendor's builder (and
     * {@link JdbcSource.Builder}) extends it with its own settings.
     *
     * @param <B> the concrete builder, returned by every setter so that calls chain
     */
    public abstract static class Builder<B extends Builder<B>> {
        RequiredColumns requiredColumns = RequiredColumns.userData();
        int fetchSize;
        Duration queryTimeout = Duration.ZERO;

        /** For subclasses. */
        protected Builder() {
        }

        /** This builder, as its concrete type. */
        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** The data type synced from the table: decides the required columns (default user attributes). */
        public B dataType(DataType dataType) {
            return requiredColumns(RequiredColumns.forDataType(dataType));
        }

        /** The columns the table must have (default {@link RequiredColumns#userData()}). */
        public B requiredColumns(RequiredColumns requiredColumns) {
            this.requiredColumns = Objects.requireNonNull(requiredColumns, "requiredColumns");
            return self();
        }

        /** Rows the driver fetches per round trip (default 0: the engine's batch size). */
        public B fetchSize(int fetchSize) {
            if (fetchSize < 0) {
                throw new IllegalArgumentException("fetchSize must not be negative, was " + fetchSize);
            }
            this.fetchSize = fetchSize;
            return self();
        }

        /** How long a query may run before the driver cancels it, in whole seconds (default zero: no limit). */
        public B queryTimeout(Duration queryTimeout) {
            Objects.requireNonNull(queryTimeout, "queryTimeout");
            if (queryTimeout.isNegative()) {
                throw new IllegalArgumentException("queryTimeout must not be negative, was " + queryTimeout);
            }
            this.queryTimeout = queryTimeout;
            return self();
        }

        /** The JdbcSource reading {@code table} over {@code connections} in {@code dialect}, with this builder's read settings. */
        protected final JdbcSource jdbcSource(ConnectionFactory connections, TableName table, SqlDialect dialect) {
            return JdbcSource.builder().connectionFactory(connections).table(table).dialect(dialect).readSettings(this).build();
        }

        /** Takes the read settings of {@code other}, e.g. to copy a builder. */
        protected final B readSettings(Builder<?> other) {
            this.requiredColumns = other.requiredColumns;
            this.fetchSize = other.fetchSize;
            this.queryTimeout = other.queryTimeout;
            return self();
        }

        /**
         * Checks and stores a driver property for a builder whose credentials have setters of their own.
         *
         * @param reserved names (lower case) that are refused, matched case-insensitively
         * @param use      the setters to use instead, for the message ("token()")
         * @throws IllegalArgumentException for a blank name or a reserved property
         */
        protected static void putConnectionProperty(Map<String, String> properties, String name, String value, Set<String> reserved,
                String use) {
            requireText(name, "connection property name");
            Objects.requireNonNull(value, "value of " + name);
            if (reserved.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("connection property " + name + " is set by the builder: use " + use);
            }
            properties.put(name, value);
        }

        /**
         * An {@code http(s)://host[:port]} URL (a vendor's account or workspace URL).
         *
         * @throws IllegalArgumentException for a blank value, another scheme or no host
         */
        protected static URI requireHttpUrl(String url) {
            URI uri = URI.create(requireText(url, "url"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("url must be http(s)://host[:port], was " + url);
            }
            return uri;
        }

        /**
         * {@code value} stripped.
         *
         * @throws IllegalArgumentException "NAME must not be blank" for null or blank
         */
        protected static String requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value.strip();
        }

        /**
         * For {@code build()}.
         *
         * @throws IllegalStateException "SETTING is required" when not {@code present}
         */
        protected static void require(boolean present, String setting) {
            if (!present) {
                throw new IllegalStateException(setting + " is required");
            }
        }
    }
}
