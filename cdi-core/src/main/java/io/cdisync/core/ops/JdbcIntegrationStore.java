package io.cdisync.core.ops;

import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TableName;
import io.cdisync.core.ops.internal.OpsJson;
import io.cdisync.core.store.JdbcStoreBuilder;
import io.cdisync.core.store.internal.JdbcTables;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Integrations and credentials in a database table, shared by a fleet of workers. Tested on PostgreSQL
 * and DuckDB; any database with {@code CREATE TABLE IF NOT EXISTS} and a primary key works, differences
 * going through the {@link SqlDialect}.
 *
 * <pre>{@code
 * JdbcIntegrationStore store = JdbcIntegrationStore.builder()
 *         .dataSource(pool).dialect(SqlDialect.postgres())
 *         .secretSealer(SecretSealer.aesGcm(Secret.of(System.getenv("CDI_SEALING_KEY"))))
 *         .build();                              // table cdi_integrations, created on first use
 * }</pre>
 *
 * <p>The table has one row per namespace ({@code "default"} unless configured, so several tenants can
 * share it): {@code namespace} (primary key), {@code version}, {@code document} (the snapshot as JSON,
 * secrets sealed), {@code updated_at}. A commit is one {@code UPDATE ... WHERE namespace = ? AND version = ?}
 * (an {@code INSERT} for version 0, where a duplicate key means another writer won): atomic, durable, and
 * compare-and-set across processes. Keeping the snapshot as one document makes the rules that span
 * integrations (one per table, credentials in use) atomic on every database without locking; a few
 * hundred integrations are a few hundred kilobytes.
 *
 * <p>Thread-safe; each method opens one connection for one or two short statements.
 */
public final class JdbcIntegrationStore implements IntegrationStore {
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final SqlDialect dialect;
    private final TableName tableName;
    private final String table;
    private final String namespace;
    private final SecretSealer sealer;
    private final Clock clock;
    private final JdbcTables work;

    private JdbcIntegrationStore(Builder builder, ConnectionFactory connections, SqlDialect dialect) {
        this.dialect = dialect;
        this.tableName = builder.table;
        this.table = dialect.qualifiedName(builder.table);
        this.namespace = builder.namespace;
        this.sealer = builder.sealer;
        this.clock = builder.clock;
        JdbcTables.Table ddl = new JdbcTables.Table(table, "namespace VARCHAR(128) NOT NULL PRIMARY KEY, version BIGINT NOT NULL,"
                + " document " + dialect.textType() + " NOT NULL, updated_at " + dialect.zonedTimestampType() + " NOT NULL");
        this.work = new JdbcTables(connections, "integration table " + tableName, builder.createTable ? List.of(ddl) : List.of(),
                List.of(), OpsException.StoreFailure::new);
    }

    /** A builder; {@code connectionFactory} (or {@code dataSource}) is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public IntegrationSnapshot load() {
        return work.run("load the integrations", false, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT version, document FROM " + table + " WHERE namespace = ?")) {
                select.setString(1, namespace);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return IntegrationSnapshot.EMPTY;
                    }
                    return decode(rs.getString(2), rs.getLong(1));
                }
            }
        });
    }

    @Override
    public long commit(long expectedVersion, IntegrationSnapshot next) {
        Objects.requireNonNull(next, "next");
        String document = OpsJson.text(OpsJson.snapshot(next, sealer));
        long version = expectedVersion + 1;
        return work.run("commit the integrations", false, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                    + " SET version = ?, document = ?, updated_at = ? WHERE namespace = ? AND version = ?")) {
                update.setLong(1, version);
                update.setString(2, document);
                dialect.bindTimestamp(update, 3, clock.instant(), true);
                update.setString(4, namespace);
                update.setLong(5, expectedVersion);
                if (update.executeUpdate() == 1) {
                    return version;
                }
            } catch (SQLException e) {
                if (dialect.isWriteConflict(e)) {
                    throw conflict(expectedVersion, "another writer is changing them at this moment");
                }
                throw e;
            }
            if (expectedVersion == 0) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                        + " (namespace, version, document, updated_at) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, namespace);
                    insert.setLong(2, version);
                    insert.setString(3, document);
                    dialect.bindTimestamp(insert, 4, clock.instant(), true);
                    insert.executeUpdate();
                    return version;
                } catch (SQLException e) {
                    if (dialect.isUniqueViolation(e) || dialect.isWriteConflict(e)) {
                        throw conflict(0, "another writer stored them first");
                    }
                    throw e;
                }
            }
            throw conflict(expectedVersion, "the stored version moved on");
        });
    }

    /** The table, as configured. */
    public TableName table() {
        return tableName;
    }

    @Override
    public String toString() {
        return "JdbcIntegrationStore{" + tableName + ", namespace=" + namespace + "}";
    }

    private IntegrationSnapshot decode(String document, long version) {
        try {
            return OpsJson.snapshot(OpsJson.parse(document), version, sealer);
        } catch (OpsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OpsException.StoreFailure("the integrations of namespace " + namespace + " in " + tableName
                    + " are not valid (" + e.getMessage() + "); restore the row from a backup", e);
        }
    }

    private OpsException.ConcurrentChange conflict(long expected, String what) {
        return new OpsException.ConcurrentChange("the integrations in " + tableName + " were changed by another writer (expected"
                + " version " + expected + ", " + what + ")");
    }

    /** Settings of a {@link JdbcIntegrationStore}, with named defaults; connections and dialect are {@link JdbcStoreBuilder}'s. */
    public static final class Builder extends JdbcStoreBuilder<Builder> {
        /** The default table name. */
        public static final String DEFAULT_TABLE = "cdi_integrations";
        /** The default namespace. */
        public static final String DEFAULT_NAMESPACE = "default";

        private TableName table = TableName.parse(DEFAULT_TABLE);
        private String namespace = DEFAULT_NAMESPACE;
        private SecretSealer sealer = SecretSealer.plaintext();
        private Clock clock = Clock.systemUTC();
        private boolean createTable = true;

        private Builder() {
        }

        /** The table, {@code [catalog.][schema.]table} (default {@value #DEFAULT_TABLE}). */
        public Builder table(String table) {
            this.table = TableName.parse(table);
            return this;
        }

        /** Which set of integrations this store holds (default {@value #DEFAULT_NAMESPACE}). */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace");
            if (!NAMESPACE.matcher(namespace).matches()) {
                throw new IllegalArgumentException("namespace '" + namespace + "' must be 1-128 letters, digits, '.', '_' or '-'");
            }
            this.namespace = namespace;
            return this;
        }

        /** How secrets are written (default {@link SecretSealer#plaintext()}). */
        public Builder secretSealer(SecretSealer sealer) {
            this.sealer = Objects.requireNonNull(sealer, "secretSealer");
            return this;
        }

        /** Whether the store creates its table on first use (default true); turn off when a migration makes it. */
        public Builder createTable(boolean createTable) {
            this.createTable = createTable;
            return this;
        }

        /** The clock for {@code updated_at} (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the store; connects to nothing yet.
         *
         * @throws IllegalStateException when no connection factory is set
         */
        public JdbcIntegrationStore build() {
            return new JdbcIntegrationStore(this, connections(), dialect());
        }
    }
}
