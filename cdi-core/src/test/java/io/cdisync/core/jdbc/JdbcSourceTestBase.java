package io.cdisync.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JdbcSource} on a real database must do, whatever the database, beyond the
 * {@code SourceConnector} contract (order, ties, the bounds of a read, close, failures mid-stream: cdi-testkit runs
 * {@code SourceConnectorContract} on it, on PostgreSQL and DuckDB): columns, views, time zones, catalogs, batch
 * sizes, errors. Subclasses give the database. The JVM's default time zone is America/New_York throughout, so nothing may depend on it.
 */
abstract class JdbcSourceTestBase {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
    private static TimeZone originalZone;

    /** The database under test; may be called several times per test and must return the same database. */
    abstract TestDatabase database();

    @BeforeAll
    static void jvmZoneIsNotUtc() {
        originalZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    }

    @AfterAll
    static void restoreZone() {
        TimeZone.setDefault(originalZone);
    }

    JdbcSource.Builder source(String table) {
        return JdbcSource.builder().connectionFactory(database().connections()).dialect(database().dialect()).table(table);
    }

    /** {@code n} rows one second apart from T0, users u0, u1... */
    static List<TestDatabase.UserRow> rows(int n) {
        List<TestDatabase.UserRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new TestDatabase.UserRow(T0.plusSeconds(i), "u" + i, "{}"));
        }
        return rows;
    }

    static List<SourceRow> readAll(JdbcSource source, Instant from, Instant until, int batchSize) {
        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = source.read(new ReadRequest(from, until, batchSize))) {
            RowBatch batch;
            while ((batch = stream.nextBatch()) != null) {
                assertThat(batch.size()).isBetween(1, batchSize);
                rows.addAll(batch.rows());
            }
        }
        return rows;
    }

    @Test
    void selectsOnlyTheCdiColumnsPresentWhateverTheirCase() {
        String table = TestDatabase.uniqueName("mixed");
        database().execute("CREATE TABLE " + table + " (\"updated_at\" TIMESTAMP, \"External_Id\" VARCHAR(50),"
                + " \"Payload\" VARCHAR(100), \"email\" VARCHAR(100), unrelated INTEGER, \"DELETED\" BOOLEAN)",
                "INSERT INTO " + table + " VALUES (TIMESTAMP '2026-01-01 12:00:00', 'u1', '{\"a\":1}', 'a@example.com', 7, NULL)");

        List<SourceRow> rows = readAll(source(table.toUpperCase()).build(), null, FAR, 10);

        assertThat(rows).hasSize(1);
        SourceRow row = rows.get(0);
        assertThat(row.updatedAt()).isEqualTo(T0);
        assertThat(row.externalId()).isEqualTo("u1");
        assertThat(row.email()).isEqualTo("a@example.com");
        assertThat(row.payload()).isEqualTo("{\"a\":1}");
        assertThat(row.phone()).isNull();
        assertThat(row.brazeId()).isNull();
        assertThat(row.deleted()).isNull();
    }

    @Test
    void rowsWhoseUpdatedAtIsNullAreNeverRead() {
        TestDatabase db = database();
        String table = db.createUsersTable();
        db.insertUsers(table, List.of(new TestDatabase.UserRow(T0.plusSeconds(1), "u1", "{}"),
                new TestDatabase.UserRow(null, "no-time", "{}"), new TestDatabase.UserRow(T0, "u0", "{}")));
        assertThat(readAll(source(table).build(), null, FAR, 2)).extracting(SourceRow::externalId).containsExactly("u0", "u1");
        assertThat(readAll(source(table).build(), T0, FAR, 2)).extracting(SourceRow::externalId).containsExactly("u0", "u1");
    }

    @Test
    void batchesHoldTheRequestedNumberOfRows() {
        TestDatabase db = database();
        String table = db.createUsersTable();
        db.insertUsers(table, rows(25));
        try (RowStream stream = source(table).fetchSize(7).build().read(new ReadRequest(null, FAR, 10))) {
            assertThat(stream.nextBatch().size()).isEqualTo(10);
            assertThat(stream.nextBatch().size()).isEqualTo(10);
            assertThat(stream.nextBatch().size()).isEqualTo(5);
            assertThat(stream.nextBatch()).isNull();
            assertThat(stream.nextBatch()).isNull();
        }
    }

    @Test
    void aViewReadsLikeATable() {
        TestDatabase db = database();
        String table = db.createUsersTable();
        db.insertUser(table, T0, "u1", "{\"v\":1}");
        db.insertUser(table, T0.plusSeconds(1), "u2", "{\"v\":2}");
        String view = TestDatabase.uniqueName("users_view");
        db.execute("CREATE VIEW " + view + " AS SELECT UPDATED_AT, EXTERNAL_ID AS external_id, PAYLOAD FROM " + table
                + " WHERE EXTERNAL_ID <> 'u2'");

        JdbcSource source = source(view).build();
        source.check();
        assertThat(readAll(source, null, FAR, 10)).extracting(SourceRow::externalId).containsExactly("u1");
    }

    @Test
    void zoneLessTimestampsAreUtcAndZonedOnesAreConvertedWhateverTheJvmAndSessionZones() {
        TestDatabase db = database();
        String plain = TestDatabase.uniqueName("plain");
        String zoned = TestDatabase.uniqueName("zoned");
        db.execute("SET TimeZone = 'UTC'",
                "CREATE TABLE " + plain + " (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR(10))",
                "INSERT INTO " + plain + " VALUES (TIMESTAMP '2026-01-01 12:00:00', 'a'), (TIMESTAMP '2026-01-01 12:00:01', 'b')",
                "CREATE TABLE " + zoned + " (UPDATED_AT TIMESTAMP WITH TIME ZONE, EXTERNAL_ID VARCHAR(10))",
                "INSERT INTO " + zoned + " VALUES (TIMESTAMPTZ '2026-01-01 21:00:00+09:00', 'a'),"
                        + " (TIMESTAMPTZ '2026-01-01 07:00:01-05:00', 'b')");
        ConnectionFactory tokyo = db.connectionsInSessionZone("Asia/Tokyo");
        for (String table : List.of(plain, zoned)) {
            JdbcSource source = source(table).connectionFactory(tokyo).build();
            assertThat(readAll(source, null, FAR, 10)).as(table).extracting(SourceRow::updatedAt)
                    .containsExactly(T0, T0.plusSeconds(1));
            assertThat(readAll(source, T0, T0, 10)).as(table).extracting(SourceRow::externalId).containsExactly("a");
            assertThat(readAll(source, T0.plusMillis(1), T0.plusSeconds(1), 10)).as(table)
                    .extracting(SourceRow::externalId).containsExactly("b");
            assertThat(readAll(source, null, T0.minusMillis(1), 10)).as(table).isEmpty();
        }
    }

    @Test
    void catalogTablesMapIdAndDeleted() {
        String table = TestDatabase.uniqueName("catalog");
        database().execute("CREATE TABLE " + table + " (UPDATED_AT TIMESTAMP, ID VARCHAR(250), PAYLOAD VARCHAR(100), DELETED BOOLEAN)",
                "INSERT INTO " + table + " VALUES (TIMESTAMP '2026-01-01 12:00:00', 'item-1', '{\"p\":1}', FALSE),"
                        + " (TIMESTAMP '2026-01-01 12:00:01', 'item-2', NULL, TRUE),"
                        + " (TIMESTAMP '2026-01-01 12:00:02', 'item-3', '{}', NULL)");

        JdbcSource source = source(table).requiredColumns(RequiredColumns.catalogItems()).build();
        source.check();
        List<SourceRow> rows = readAll(source, null, FAR, 10);

        assertThat(rows).extracting(SourceRow::id).containsExactly("item-1", "item-2", "item-3");
        assertThat(rows).extracting(SourceRow::deleted).containsExactly(false, true, null);
        assertThat(rows.get(1).payload()).isNull();
        assertThatThrownBy(() -> source(table).build().check())
                .isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("none of the columns EXTERNAL_ID, ALIAS_NAME, BRAZE_ID, EMAIL, PHONE")
                .hasMessageContaining("columns found:");
    }

    @Test
    void checkAcceptsAGoodTable() {
        String table = database().createUsersTable();
        source(table).build().check();
    }

    @Test
    void aMissingTableIsAConfigurationErrorNamingIt() {
        JdbcSource source = source("no_such_table_here").build();
        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("table no_such_table_here not found");
        assertThatThrownBy(() -> source.read(new ReadRequest(null, FAR, 10)))
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("no_such_table_here");
    }

    @Test
    void aMissingColumnIsAConfigurationErrorNamingTheColumnAndTheColumnsFound() {
        String table = TestDatabase.uniqueName("no_id");
        database().execute("CREATE TABLE " + table + " (UPDATED_AT TIMESTAMP, PAYLOAD VARCHAR(100), NOTE VARCHAR(10))");
        assertThatThrownBy(() -> source(table).build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("has none of the columns EXTERNAL_ID")
                .satisfies(e -> assertThat(e.getMessage().toUpperCase()).contains("COLUMNS FOUND: UPDATED_AT, PAYLOAD, NOTE"));

        String noTime = TestDatabase.uniqueName("no_time");
        database().execute("CREATE TABLE " + noTime + " (EXTERNAL_ID VARCHAR(10), PAYLOAD VARCHAR(100))");
        assertThatThrownBy(() -> source(noTime).build().read(new ReadRequest(null, FAR, 10)))
                .isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("has no column UPDATED_AT");
    }

    @Test
    void anUpdatedAtThatIsNotATimestampIsAConfigurationError() {
        String table = TestDatabase.uniqueName("bad_time");
        database().execute("CREATE TABLE " + table + " (UPDATED_AT VARCHAR(30), EXTERNAL_ID VARCHAR(10))");
        assertThatThrownBy(() -> source(table).build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("UPDATED_AT must be a timestamp");
        String dates = TestDatabase.uniqueName("date_time");
        database().execute("CREATE TABLE " + dates + " (UPDATED_AT DATE, EXTERNAL_ID VARCHAR(10))");
        assertThatThrownBy(() -> source(dates).build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("is of type");
    }

    @Test
    void closingTheSourceClosesItsOpenReads() {
        TestDatabase db = database();
        String table = db.createUsersTable();
        db.insertUsers(table, rows(30));
        JdbcSource source = source(table).build();
        RowStream stream = source.read(new ReadRequest(null, FAR, 10));
        assertThat(stream.nextBatch().size()).isEqualTo(10);
        source.close();
        assertThatThrownBy(stream::nextBatch).isInstanceOf(CdiException.Interrupted.class);
        stream.close();
    }
}
