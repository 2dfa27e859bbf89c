package io.cdisync.core.store;

import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TableName;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.Watermark;
import io.cdisync.core.spi.WatermarkCodec;
import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.internal.JdbcTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watermarks in a database table, shared by a fleet of workers: compare-and-set commits, and leases so
 * that two workers do not run the same sync at once. Works on PostgreSQL and DuckDB (tested) and any
 * database with {@code CREATE TABLE IF NOT EXISTS} and a unique primary key; differences go through the
 * {@link SqlDialect}.
 *
 * <pre>{@code
 * JdbcWatermarkStore store = JdbcWatermarkStore.builder()
 *         .dataSource(pool)                 // or connectionFactory(...)
 *         .dialect(SqlDialect.postgres())
 *         .build();                         // table cdi_watermarks, created on first use
 * }</pre>
 *
 * <p>The table ({@code cdi_watermarks} unless configured) has one row per sync: {@code sync_id} (primary
 * key), {@code version}, {@code watermark} ({@link WatermarkCodec} JSON), {@code updated_at},
 * {@code lease_owner}, {@code lease_expires_at}. A commit is one {@code UPDATE ... WHERE sync_id = ? AND
 * version = ?} (or an {@code INSERT} for version 0, where a unique-key violation means another runner
 * won), so it is atomic and durable when it returns. Lease times come from the store's {@link Clock}.
 *
 * <p>Thread-safe; every method opens a connection from the factory for one or two short statements
 * and blocks while they run. Failures are {@link CdiException.WatermarkStoreFailure}s (with a redacted
 * message) or {@link CdiException.ConcurrentRun}.
 */
public final class JdbcWatermarkStore implements WatermarkStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcWatermarkStore.class);
    private static final Pattern SYNC_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_OWNER = 255;
    private static final int ACQUIRE_ATTEMPTS = 5;

    private final ConnectionFactory connections;
    private final SqlDialect dialect;
    private final TableName tableName;
    private final String table;
    private final Clock clock;
    private final JdbcTables storage;

    private JdbcWatermarkStore(Builder builder) {
        this.connections = builder.connections();
        this.dialect = builder.dialect();
        this.tableName = builder.table;
        this.table = dialect.qualifiedName(builder.table);
        this.clock = builder.clock;
        String ts = dialect.zonedTimestampType();
        JdbcTables.Table ddl = new JdbcTables.Table(table, "sync_id VARCHAR(128) NOT NULL PRIMARY KEY, version BIGINT NOT NULL,"
                + " watermark " + dialect.textType() + ", updated_at " + ts + " NOT NULL, lease_owner VARCHAR(" + MAX_OWNER + "),"
                + " lease_expires_at " + ts);
        this.storage = new JdbcTables(connections, tableName.toString(), builder.createTable ? List.of(ddl) : List.of(), List.of(),
                CdiException.WatermarkStoreFailure::new);
    }

    /** A builder; {@code connectionFactory} (or {@code dataSource}) is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<StoredWatermark> load(String syncId) {
        checkSyncId(syncId);
        return storage.run("load the watermark of sync " + syncId, false, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT version, watermark FROM " + table + " WHERE sync_id = ?")) {
                select.setString(1, syncId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next() || rs.getLong(1) == 0 || rs.getString(2) == null) {
                        return Optional.empty();
                    }
                    return Optional.of(new StoredWatermark(decode(syncId, rs.getString(2)), rs.getLong(1)));
                }
            }
        });
    }

    @Override
    public long commit(String syncId, long expectedVersion, Watermark watermark) {
        checkSyncId(syncId);
        Objects.requireNonNull(watermark, "watermark");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion must not be negative, was " + expectedVersion);
        }
        String json = WatermarkCodec.encode(watermark);
        long next = expectedVersion + 1;
        return storage.run("commit the watermark of sync " + syncId, false, connection -> {
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                    + " SET version = ?, watermark = ?, updated_at = ? WHERE sync_id = ? AND version = ?")) {
                update.setLong(1, next);
                update.setString(2, json);
                dialect.bindTimestamp(update, 3, now, true);
                update.setString(4, syncId);
                update.setLong(5, expectedVersion);
                if (update.executeUpdate() == 1) {
                    return next;
                }
            } catch (SQLException e) {
                if (dialect.isWriteConflict(e)) {
                    throw concurrentCommit(syncId, expectedVersion, "another runner is writing it at this moment");
                }
                throw e;
            }
            if (expectedVersion == 0) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                        + " (sync_id, version, watermark, updated_at) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, syncId);
                    insert.setLong(2, next);
                    insert.setString(3, json);
                    dialect.bindTimestamp(insert, 4, now, true);
                    insert.executeUpdate();
                    return next;
                } catch (SQLException e) {
                    if (dialect.isUniqueViolation(e) || dialect.isWriteConflict(e)) {
                        throw concurrentCommit(syncId, 0, "another runner committed it first");
                    }
                    throw e;
                }
            }
            throw concurrentCommit(syncId, expectedVersion, "found version " + currentVersion(connection, syncId));
        });
    }

    /**
     * Takes the lease of a sync for {@code ttl}, so that no other owner runs it meanwhile. Succeeds when
     * nobody holds the lease, when it expired (its holder died or hung), or when {@code owner} holds it
     * already (then it is extended). Called by the host before {@code SyncRunner.run()}; blocks on a few
     * short statements.
     *
     * @param syncId the sync
     * @param owner  who takes it: unique per worker (e.g. host name and process id), at most 255 characters
     * @param ttl    how long it lasts unless renewed; longer than the gap between two {@link SyncLease#renew()}
     * @return the lease; release it when the run ends
     * @throws CdiException.ConcurrentRun "sync X is already running on OWNER until TIME" when another owner holds a live lease
     * @throws CdiException.WatermarkStoreFailure when the store cannot be written
     */
    public SyncLease acquireLease(String syncId, String owner, Duration ttl) {
        checkSyncId(syncId);
        checkOwner(owner);
        checkTtl(ttl);
        return storage.run("acquire the lease of sync " + syncId, false, connection -> {
            for (int attempt = 1; ; attempt++) {
                Instant now = clock.instant();
                Instant expires = now.plus(ttl);
                try {
                    if (takeLease(connection, syncId, owner, now, expires) || insertLease(connection, syncId, owner, now, expires)) {
                        log.debug("sync {}: lease taken by {} until {}", syncId, owner, expires);
                        return new SyncLease(this, syncId, owner, ttl, expires);
                    }
                } catch (SQLException e) {
                    if (!dialect.isWriteConflict(e) || attempt >= ACQUIRE_ATTEMPTS) {
                        throw e;
                    }
                }
                Holder holder = holder(connection, syncId);
                if (holder != null && holder.owner() != null && !holder.owner().equals(owner)
                        && holder.expiresAt() != null && holder.expiresAt().isAfter(now)) {
                    throw new CdiException.ConcurrentRun("sync " + syncId + " is already running on " + holder.owner()
                            + " until " + holder.expiresAt());
                }
                if (attempt >= ACQUIRE_ATTEMPTS) {
                    throw new CdiException.ConcurrentRun("sync " + syncId + ": the lease is contended; try again");
                }
            }
        });
    }

    /** {@link SyncLease#renew()}: extends the lease if {@code owner} still holds it. */
    Instant renewLease(String syncId, String owner, Duration ttl) {
        return storage.run("renew the lease of sync " + syncId, false, connection -> {
            Instant expires = clock.instant().plus(ttl);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + table + " SET lease_expires_at = ? WHERE sync_id = ? AND lease_owner = ?")) {
                dialect.bindTimestamp(update, 1, expires, true);
                update.setString(2, syncId);
                update.setString(3, owner);
                if (update.executeUpdate() == 1) {
                    return expires;
                }
            }
            Holder holder = holder(connection, syncId);
            throw new CdiException.ConcurrentRun("the lease of sync " + syncId + " held by " + owner + " was lost"
                    + (holder == null || holder.owner() == null ? "" : ": " + holder.owner() + " holds it until " + holder.expiresAt())
                    + "; stop this run");
        });
    }

    /** {@link SyncLease#release()}: clears the lease if {@code owner} still holds it. */
    void releaseLease(String syncId, String owner) {
        storage.run("release the lease of sync " + syncId, false, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                    + " SET lease_owner = NULL, lease_expires_at = NULL WHERE sync_id = ? AND lease_owner = ?")) {
                update.setString(1, syncId);
                update.setString(2, owner);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** The table holding the watermarks, as configured. */
    public TableName table() {
        return tableName;
    }

    @Override
    public String toString() {
        return "JdbcWatermarkStore{" + tableName + " on " + connections.target() + "}";
    }

    private boolean takeLease(Connection connection, String syncId, String owner, Instant now, Instant expires) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                + " SET lease_owner = ?, lease_expires_at = ? WHERE sync_id = ? AND (lease_owner IS NULL OR lease_owner = ?"
                + " OR lease_expires_at IS NULL OR lease_expires_at <= ?)")) {
            update.setString(1, owner);
            dialect.bindTimestamp(update, 2, expires, true);
            update.setString(3, syncId);
            update.setString(4, owner);
            dialect.bindTimestamp(update, 5, now, true);
            return update.executeUpdate() == 1;
        }
    }

    private boolean insertLease(Connection connection, String syncId, String owner, Instant now, Instant expires) throws SQLException {
        if (holder(connection, syncId) != null) {
            return false; // the row exists and the lease is live: the caller names the holder
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (sync_id, version, watermark, updated_at, lease_owner, lease_expires_at) VALUES (?, 0, NULL, ?, ?, ?)")) {
            insert.setString(1, syncId);
            dialect.bindTimestamp(insert, 2, now, true);
            insert.setString(3, owner);
            dialect.bindTimestamp(insert, 4, expires, true);
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                return false; // another worker created the row first
            }
            throw e;
        }
    }

    private record Holder(String owner, Instant expiresAt) {
    }

    private Holder holder(Connection connection, String syncId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT lease_owner, lease_expires_at FROM " + table + " WHERE sync_id = ?")) {
            select.setString(1, syncId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new Holder(rs.getString(1), dialect.readTimestamp(rs, 2, true)) : null;
            }
        }
    }

    private long currentVersion(Connection connection, String syncId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT version FROM " + table + " WHERE sync_id = ?")) {
            select.setString(1, syncId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private CdiException.ConcurrentRun concurrentCommit(String syncId, long expected, String what) {
        return new CdiException.ConcurrentRun("sync " + syncId + " was advanced by another runner (expected version "
                + expected + ", " + what + ", in " + tableName + ")");
    }

    private Watermark decode(String syncId, String json) {
        try {
            return WatermarkCodec.decode(json);
        } catch (IllegalArgumentException e) {
            throw new CdiException.WatermarkStoreFailure("the watermark of sync " + syncId + " in " + tableName
                    + " is not valid (" + e.getMessage() + "); restore the row from a backup or delete it to start the sync over", e);
        }
    }

    private static void checkSyncId(String syncId) {
        Objects.requireNonNull(syncId, "syncId");
        if (!SYNC_ID.matcher(syncId).matches()) {
            throw new IllegalArgumentException("syncId '" + syncId + "' must be 1-128 letters, digits, '.', '_' or '-'");
        }
    }

    private static void checkOwner(String owner) {
        Objects.requireNonNull(owner, "owner");
        if (owner.isBlank() || owner.length() > MAX_OWNER) {
            throw new IllegalArgumentException("owner must be 1-" + MAX_OWNER + " characters, not blank");
        }
    }

    private static void checkTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
    }

    /** Settings of a {@link JdbcWatermarkStore}, with named defaults; connections and dialect are {@link JdbcStoreBuilder}'s. */
    public static final class Builder extends JdbcStoreBuilder<Builder> {
        /** The default table name. */
        public static final String DEFAULT_TABLE = "cdi_watermarks";

        private TableName table = TableName.parse(DEFAULT_TABLE);
        private Clock clock = Clock.systemUTC();
        private boolean createTable = true;

        private Builder() {
        }

        /** The table, {@code [schema.]name} (default {@value #DEFAULT_TABLE}); created if missing unless {@link #createTable(boolean) turned off}. */
        public Builder table(String table) {
            this.table = TableName.parse(table);
            return this;
        }

        /** Whether the store runs {@code CREATE TABLE IF NOT EXISTS} on first use (default true). Turn off when the user has no DDL grant and the table is made by a migration. */
        public Builder createTable(boolean createTable) {
            this.createTable = createTable;
            return this;
        }

        /** The clock for lease times and {@code updated_at} (default UTC system clock); for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the store; connects to nothing yet.
         *
         * @throws IllegalStateException when no connection factory is set
         */
        public JdbcWatermarkStore build() {
            return new JdbcWatermarkStore(this);
        }
    }
}
