package io.cdisync.core.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A database the JDBC tests run on, the same way on each: PostgreSQL ({@link PostgresServer}) or DuckDB
 * in-process (a file in a temporary directory). Creates CDI tables and inserts rows with bound parameters.
 */
public abstract class TestDatabase {
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** PostgreSQL as the application user of {@code pg}. */
    public static TestDatabase postgres(PostgresServer pg) {
        return new TestDatabase() {
            @Override
            public String name() {
                return "postgres";
            }

            @Override
            public ConnectionFactory connections() {
                return pg.connections();
            }

            @Override
            public SqlDialect dialect() {
                return SqlDialect.postgres();
            }
        };
    }

    /**
     * DuckDB in a file under {@code dir}, opened with {@code jdbc_stream_results=true} so results stream.
     * Every connection of the JVM to the same file shares one database instance.
     */
    public static TestDatabase duckdb(Path dir) {
        String url = "jdbc:duckdb:" + dir.resolve("warehouse.duckdb");
        return new TestDatabase() {
            @Override
            public String name() {
                return "duckdb";
            }

            @Override
            public ConnectionFactory connections() {
                return new ConnectionFactory() {
                    @Override
                    public Connection connect() throws SQLException {
                        Properties properties = new Properties();
                        properties.setProperty("jdbc_stream_results", "true");
                        // DuckDB's instance cache fails ("already attached") when threads open the same file at once.
                        synchronized (TestDatabase.class) {
                            return DriverManager.getConnection(url, properties);
                        }
                    }

                    @Override
                    public String target() {
                        return JdbcUrls.target(url);
                    }
                };
            }

            @Override
            public SqlDialect dialect() {
                return SqlDialect.duckdb();
            }
        };
    }

    /** Connections whose session time zone is {@code zone} (PostgreSQL's TimeZone, DuckDB's TimeZone setting). */
    public ConnectionFactory connectionsInSessionZone(String zone) {
        ConnectionFactory base = connections();
        return new ConnectionFactory() {
            @Override
            public Connection connect() throws SQLException {
                Connection connection = base.connect();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET TimeZone = '" + zone + "'");
                }
                return connection;
            }

            @Override
            public String target() {
                return base.target();
            }
        };
    }

    /** "postgres" or "duckdb". */
    public abstract String name();

    /** Connections with the rights to create tables. */
    public abstract ConnectionFactory connections();

    /** The database's dialect. */
    public abstract SqlDialect dialect();

    /** A table name not used before in this JVM. */
    public static String uniqueName(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet();
    }

    /** Runs statements. */
    public void execute(String... sql) {
        try (Connection connection = connections().connect(); Statement statement = connection.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + name() + ": " + e.getMessage() + " in: " + String.join("; ", sql), e);
        }
    }

    /** Creates a user-attributes table: UPDATED_AT (zone-less TIMESTAMP), EXTERNAL_ID, PAYLOAD (text). */
    public String createUsersTable() {
        String table = uniqueName("users");
        execute("CREATE TABLE " + table + " (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR(100), PAYLOAD VARCHAR(10000))");
        return table;
    }

    /** A row of a table made by {@link #createUsersTable()}. */
    public record UserRow(Instant updatedAt, String externalId, String payload) {
    }

    /** Inserts a row into a table made by {@link #createUsersTable()}; UPDATED_AT is stored as its UTC wall time. */
    public void insertUser(String table, Instant updatedAt, String externalId, String payload) {
        insertUsers(table, List.of(new UserRow(updatedAt, externalId, payload)));
    }

    /** Inserts rows in one batch, in one transaction. */
    public void insertUsers(String table, List<UserRow> rows) {
        try (Connection connection = connections().connect();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO " + table + " (UPDATED_AT, EXTERNAL_ID, PAYLOAD) VALUES (?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (UserRow row : rows) {
                insert.setObject(1, row.updatedAt() == null ? null : LocalDateTime.ofInstant(row.updatedAt(), ZoneOffset.UTC));
                insert.setString(2, row.externalId());
                insert.setString(3, row.payload());
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("insert failed on " + name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
