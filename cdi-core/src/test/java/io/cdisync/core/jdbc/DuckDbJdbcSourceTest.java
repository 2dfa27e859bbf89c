package io.cdisync.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbcSource} on DuckDB in-process (duckdb_jdbc), a database file per test. */
class DuckDbJdbcSourceTest extends JdbcSourceTestBase {
    @TempDir
    Path dir;

    @Override
    TestDatabase database() {
        return TestDatabase.duckdb(dir);
    }

    @Test
    void structAndMapPayloadsBecomeMapsOfPlainJsonValues() {
        String table = TestDatabase.uniqueName("structs");
        database().execute("CREATE TABLE " + table + " (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR,"
                        + " PAYLOAD STRUCT(tier VARCHAR, \"first name\" VARCHAR, score DOUBLE, tags VARCHAR[],"
                        + " address STRUCT(city VARCHAR, zip INTEGER), seen TIMESTAMP))",
                "INSERT INTO " + table + " VALUES (TIMESTAMP '2026-01-01 12:00:00', 'a', {'tier': 'gold', 'first name': 'Ann',"
                        + " 'score': 1.5, 'tags': ['x', 'y'], 'address': {'city': 'Paris', 'zip': 75001},"
                        + " 'seen': TIMESTAMP '2025-12-31 08:30:00'})");
        String maps = TestDatabase.uniqueName("maps");
        database().execute("CREATE TABLE " + maps + " (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD MAP(VARCHAR, INTEGER))",
                "INSERT INTO " + maps + " VALUES (TIMESTAMP '2026-01-01 12:00:00', 'a', MAP {'visits': 3, 'orders': 1})");
        String json = TestDatabase.uniqueName("json");
        database().execute("CREATE TABLE " + json + " (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD JSON)",
                "INSERT INTO " + json + " VALUES (TIMESTAMP '2026-01-01 12:00:00', 'a', '{\"k\":[1,{\"n\":null}]}')");

        Object struct = readAll(source(table).build(), null, FAR, 10).get(0).payload();
        assertThat(struct).isEqualTo(Map.of("tier", "gold", "first name", "Ann", "score", 1.5, "tags", List.of("x", "y"),
                "address", Map.of("city", "Paris", "zip", 75001), "seen", "2025-12-31T08:30"));
        assertThat(readAll(source(maps).build(), null, FAR, 10).get(0).payload()).isEqualTo(Map.of("visits", 3, "orders", 1));
        assertThat(readAll(source(json).build(), null, FAR, 10).get(0).payload()).isEqualTo("{\"k\":[1,{\"n\":null}]}");
    }

    @Test
    void aMillionRowsStreamInOrder() {
        String table = TestDatabase.uniqueName("million");
        database().execute("CREATE TABLE " + table + " AS SELECT TIMESTAMP '2026-01-01 00:00:00' + to_milliseconds(i // 3) AS UPDATED_AT,"
                + " 'user-' || i AS EXTERNAL_ID, '{\"i\":' || i || '}' AS PAYLOAD FROM range(1000000) t(i)");
        long rows = 0;
        Instant last = Instant.MIN;
        try (RowStream stream = source(table).build().read(new ReadRequest(null, FAR, 5_000))) {
            RowBatch batch;
            while ((batch = stream.nextBatch()) != null) {
                for (SourceRow row : batch.rows()) {
                    assertThat(row.updatedAt()).isAfterOrEqualTo(last);
                    last = row.updatedAt();
                }
                rows += batch.size();
            }
        }
        assertThat(rows).isEqualTo(1_000_000);
    }
}
