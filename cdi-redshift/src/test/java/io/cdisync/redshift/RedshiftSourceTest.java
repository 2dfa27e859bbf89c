package io.cdisync.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RedshiftSource} with Amazon's driver 2.3.0 against PostgreSQL 15 behind a test relay (PgStartupRelay): what it does beyond the
 * testkit's source contract ({@link RedshiftSourceContractTest}: order, bounds, ties, close, failures mid-stream):
 * columns, NULL UPDATED_AT, batches, UTC, payloads, catalogs, views, closing the source. The JVM runs in
 * America/New_York, and so does every session, since the driver sends the JVM's zone when it connects: a
 * timestamp read or bound in any zone but UTC would be off by five hours.
 */
@ExtendWith(RedshiftStandIn.class)
class RedshiftSourceTest {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
    private static TimeZone originalZone;

    final RedshiftStandIn redshift = RedshiftStandIn.shared();
    final TestDatabase db = redshift.database();

    @BeforeAll
    static void jvmZoneIsNotUtc() {
        originalZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    }

    @AfterAll
    static void restoreZone() {
        TimeZone.setDefault(originalZone);
    }

    static List<SourceRow> readAll(RedshiftSource source, Instant from, Instant until, int batchSize) {
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
    void theStandInIsAmazonsDriverWithSessionsInTheJvmsZone() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", redshift.postgres().user());
        properties.setProperty("password", redshift.postgres().password().reveal());
        properties.setProperty("ssl", "false");
        try (Connection connection = new com.amazon.redshift.Driver().connect(redshift.source("t").build().jdbcUrl(), properties);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('TimeZone')")) {
            assertThat(connection.getMetaData().getDriverName()).containsIgnoringCase("redshift");
            assertThat(connection.getMetaData().getDriverVersion()).startsWith("2.3.0");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("America/New_York");
        }
    }

    @Test
    void rowsWhoseUpdatedAtIsNullAreNeverRead() {
        String table = db.createUsersTable();
        db.insertUsers(table, List.of(new TestDatabase.UserRow(T0.plusSeconds(1), "u1", "{}"),
                new TestDatabase.UserRow(null, "no-time", "{}"), new TestDatabase.UserRow(T0, "u0", "{}")));
        RedshiftSource source = redshift.source(table).build();
        assertThat(readAll(source, null, FAR, 2)).extracting(SourceRow::externalId).containsExactly("u0", "u1");
        assertThat(readAll(source, T0, FAR, 2)).extracting(SourceRow::externalId).containsExactly("u0", "u1");
    }

    @Test
    void batchesHoldTheRequestedNumberOfRowsWhateverTheFetchSize() {
        String table = db.createUsersTable();
        List<TestDatabase.UserRow> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            rows.add(new TestDatabase.UserRow(T0.plusSeconds(i), "u" + i, "{}"));
        }
        db.insertUsers(table, rows);
        try (RowStream stream = redshift.source(table).fetchSize(7).build().read(new ReadRequest(null, FAR, 10))) {
            assertThat(stream.nextBatch().size()).isEqualTo(10);
            assertThat(stream.nextBatch().size()).isEqualTo(10);
            assertThat(stream.nextBatch().size()).isEqualTo(5);
            assertThat(stream.nextBatch()).isNull();
        }
    }

    @Test
    void selectsOnlyTheCdiColumnsPresentWhateverTheirCase() {
        String table = TestDatabase.uniqueName("mixed");
        db.execute("CREATE TABLE " + table + " (\"updated_at\" TIMESTAMP, \"External_Id\" VARCHAR(50), \"Payload\" VARCHAR(100),"
                        + " \"email\" VARCHAR(100), unrelated INTEGER)",
                "INSERT INTO " + table + " VALUES (TIMESTAMP '2026-01-01 12:00:00', 'u1', '{\"a\":1}', 'a@example.com', 7)");

        List<SourceRow> rows = readAll(redshift.source(table.toUpperCase()).build(), null, FAR, 10);

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.updatedAt()).isEqualTo(T0);
            assertThat(row.externalId()).isEqualTo("u1");
            assertThat(row.email()).isEqualTo("a@example.com");
            assertThat(row.payload()).isEqualTo("{\"a\":1}");
            assertThat(row.phone()).isNull();
        });
    }

    @Test
    void timestampIsReadAsUtcAndTimestamptzIsConvertedWhateverTheJvmAndSessionZones() {
        String plain = TestDatabase.uniqueName("plain");
        String zoned = TestDatabase.uniqueName("zoned");
        db.execute("CREATE TABLE " + plain + " (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR(10))",
                "INSERT INTO " + plain + " VALUES (TIMESTAMP '2026-01-01 12:00:00', 'a'), (TIMESTAMP '2026-01-01 12:00:01', 'b')",
                "CREATE TABLE " + zoned + " (UPDATED_AT TIMESTAMPTZ, EXTERNAL_ID VARCHAR(10))",
                "INSERT INTO " + zoned + " VALUES (TIMESTAMPTZ '2026-01-01 21:00:00+09:00', 'a'),"
                        + " (TIMESTAMPTZ '2026-01-01 07:00:01-05:00', 'b')");
        for (String table : List.of(plain, zoned)) {
            RedshiftSource source = redshift.source(table).build();
            assertThat(readAll(source, null, FAR, 10)).as(table).extracting(SourceRow::updatedAt).containsExactly(T0, T0.plusSeconds(1));
            assertThat(readAll(source, T0, T0, 10)).as(table).extracting(SourceRow::externalId).containsExactly("a");
            assertThat(readAll(source, T0.plusMillis(1), T0.plusSeconds(1), 10)).as(table)
                    .extracting(SourceRow::externalId).containsExactly("b");
            assertThat(readAll(source, null, T0.minusMillis(1), 10)).as(table).isEmpty();
        }
    }

    @Test
    void payloadsAsVarcharAndAsSuperAreReadAsJsonText() {
        String table = TestDatabase.uniqueName("super_payload");
        // "super" is a text domain here: the driver describes the column as it describes Redshift's SUPER.
        db.execute("CREATE TABLE " + table + " (UPDATED_AT TIMESTAMPTZ, EXTERNAL_ID VARCHAR(10), PAYLOAD super)",
                "INSERT INTO " + table + " VALUES ('2026-01-01 12:00:00+00', 'a', '{\"k\":{\"n\":[1,2]},\"s\":\"é\"}')");
        RedshiftSource source = redshift.source(table).build();
        source.check();

        assertThat(readAll(source, null, FAR, 10)).singleElement()
                .satisfies(row -> assertThat(row.payload()).isEqualTo("{\"k\":{\"n\":[1,2]},\"s\":\"é\"}"));
    }

    @Test
    void catalogTablesMapIdAndDeleted() {
        String table = TestDatabase.uniqueName("catalog");
        db.execute("CREATE TABLE " + table + " (UPDATED_AT TIMESTAMP, ID VARCHAR(250), PAYLOAD VARCHAR(100), DELETED BOOLEAN)",
                "INSERT INTO " + table + " VALUES (TIMESTAMP '2026-01-01 12:00:00', 'item-1', '{\"p\":1}', FALSE),"
                        + " (TIMESTAMP '2026-01-01 12:00:01', 'item-2', NULL, TRUE),"
                        + " (TIMESTAMP '2026-01-01 12:00:02', 'item-3', '{}', NULL)");

        RedshiftSource source = redshift.source(table).dataType(DataType.CATALOG_ITEMS).build();
        source.check();
        List<SourceRow> rows = readAll(source, null, FAR, 10);

        assertThat(rows).extracting(SourceRow::id).containsExactly("item-1", "item-2", "item-3");
        assertThat(rows).extracting(SourceRow::deleted).containsExactly(false, true, null);
        assertThatThrownBy(() -> redshift.source(table).build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("none of the columns EXTERNAL_ID, ALIAS_NAME, BRAZE_ID, EMAIL, PHONE");
    }

    @Test
    void aViewReadsLikeATable() {
        String table = db.createUsersTable();
        db.insertUser(table, T0, "u1", "{\"v\":1}");
        db.insertUser(table, T0.plusSeconds(1), "u2", "{\"v\":2}");
        String view = TestDatabase.uniqueName("users_view");
        db.execute("CREATE VIEW " + view + " AS SELECT UPDATED_AT, EXTERNAL_ID, PAYLOAD FROM " + table + " WHERE EXTERNAL_ID <> 'u2'");

        RedshiftSource source = redshift.source(view).build();
        source.check();
        assertThat(readAll(source, null, FAR, 10)).extracting(SourceRow::externalId).containsExactly("u1");
    }

    @Test
    void closingTheSourceClosesItsOpenReadsAndItCanReadAgain() {
        String table = db.createUsersTable();
        List<TestDatabase.UserRow> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(new TestDatabase.UserRow(T0.plusSeconds(i), "u" + i, "{}"));
        }
        db.insertUsers(table, rows);
        RedshiftSource source = redshift.source(table).fetchSize(5).build();
        RowStream stream = source.read(new ReadRequest(null, FAR, 10));
        assertThat(stream.nextBatch().size()).isEqualTo(10);

        source.close();

        assertThatThrownBy(stream::nextBatch).isInstanceOf(CdiException.Interrupted.class);
        stream.close();
        assertThat(readAll(source, null, FAR, 100)).hasSize(30);
    }

    @Test
    void aLargeTableStreamsWithBoundedMemoryDespiteTheDriversReadAhead() {
        String table = TestDatabase.uniqueName("large");
        // 200,000 rows of ~450 bytes: about 90 MB of results. With the driver's default read-ahead buffer (up to 1 GB)
        // the heap grew by ~140 MB for 400,000 such rows, ~6 MB with an 8 MB buffer; the source caps it at 16 MB.
        db.execute("CREATE TABLE " + table + " (UPDATED_AT timestamp, EXTERNAL_ID varchar(20), PAYLOAD varchar(1000))",
                "INSERT INTO " + table + " SELECT TIMESTAMP '2026-01-01 00:00:00' + (i / 3) * INTERVAL '1 millisecond',"
                        + " 'user-' || i, '{\"i\":' || i || ',\"pad\":\"' || repeat('x', 400) || '\"}'"
                        + " FROM generate_series(1, 200000) AS i");
        RedshiftSource source = redshift.source(table).fetchSize(2_000).build();
        long baseline = usedHeapAfterGc();
        long peak = 0;
        long count = 0;
        Instant last = Instant.MIN;
        try (RowStream stream = source.read(new ReadRequest(null, FAR, 1_000))) {
            RowBatch batch;
            while ((batch = stream.nextBatch()) != null) {
                for (SourceRow row : batch.rows()) {
                    assertThat(row.updatedAt()).isAfterOrEqualTo(last);
                    last = row.updatedAt();
                }
                count += batch.size();
                if (count % 40_000 == 0) {
                    peak = Math.max(peak, usedHeapAfterGc() - baseline);
                }
            }
        }
        assertThat(count).isEqualTo(200_000);
        assertThat(last).isEqualTo(Instant.parse("2026-01-01T00:01:06.666Z"));
        assertThat(peak).as("heap growth while streaming, bytes").isLessThan(32L * 1024 * 1024);
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
