package io.cdisync.s3.internal;

import static io.cdisync.s3.internal.TestFiles.FILE_TIME;
import static io.cdisync.s3.internal.TestFiles.readAll;
import static io.cdisync.s3.internal.TestFiles.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.spi.SourceRow;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetRecordReaderTest {
    @TempDir
    Path dir;

    /** Writes {@code select}'s result to a new Parquet file with DuckDB. */
    Path parquet(String name, String select) throws SQLException {
        Path file = dir.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + file.toString().replace("'", "''") + "' (FORMAT PARQUET)");
        }
        return file;
    }

    @Test
    void readsIdentifiersTextAndStructPayloadsAndIgnoresUnknownColumns() throws Exception {
        Path file = parquet("users.parquet", """
                SELECT * FROM (VALUES
                  ('u1', NULL, NULL, NULL, NULL, NULL, '{"plan":"gold"}', {'city': 'Paris', 'n': 2}, 'x'),
                  (NULL, 'a1', 'crm', NULL, NULL, NULL, NULL, {'city': 'Zoë "Q"', 'n': NULL}, 'y'),
                  (NULL, NULL, NULL, '5f0c3a', NULL, NULL, '{}', NULL, 'z'),
                  (NULL, NULL, NULL, NULL, 'jane@example.com', NULL, '', NULL, NULL),
                  (NULL, NULL, NULL, NULL, NULL, '+15555550100', NULL, NULL, NULL))
                AS t(External_Id, alias_name, ALIAS_LABEL, braze_id, email, phone, payload_text, PAYLOAD, notes)
                """);

        List<SourceRow> rows = readAll(RecordReaders.openParquet("in/users.parquet", file, FILE_TIME));

        assertThat(rows).extracting(SourceRow::rowKey).containsExactly("in/users.parquet#1", "in/users.parquet#2",
                "in/users.parquet#3", "in/users.parquet#4", "in/users.parquet#5");
        assertThat(rows).noneMatch(SourceRow::isUnreadable).allMatch(r -> r.updatedAt().equals(FILE_TIME));
        assertThat(rows.get(0).externalId()).isEqualTo("u1");
        assertThat(rows.get(0).payload()).isEqualTo("{\"city\":\"Paris\",\"n\":2}");
        assertThat(rows.get(1).aliasName()).isEqualTo("a1");
        assertThat(rows.get(1).aliasLabel()).isEqualTo("crm");
        assertThat(rows.get(1).payload()).isEqualTo("{\"city\":\"Zoë \\\"Q\\\"\",\"n\":null}");
        assertThat(rows.get(2).brazeId()).isEqualTo("5f0c3a");
        assertThat(rows.get(2).payload()).isNull();
        assertThat(rows.get(3).email()).isEqualTo("jane@example.com");
        assertThat(rows.get(4).phone()).isEqualTo("+15555550100");
    }

    @Test
    void aVarcharOrJsonPayloadIsPassedAsTextAndAMapAsJson() throws Exception {
        Path text = parquet("text.parquet", """
                SELECT 'u1' AS external_id, '{"a": [1, 2]}' AS payload
                UNION ALL SELECT 'u2', '{"b":true}'::JSON
                """);
        Path map = parquet("map.parquet", "SELECT 42 AS EXTERNAL_ID, MAP {'k1': 1, 'k2': 2} AS payload");

        List<SourceRow> textRows = readAll(RecordReaders.openParquet("text.parquet", text, FILE_TIME));
        List<SourceRow> mapRows = readAll(RecordReaders.openParquet("map.parquet", map, FILE_TIME));

        assertThat(textRows).extracting(SourceRow::payload).containsExactly("{\"a\": [1, 2]}", "{\"b\":true}");
        assertThat(mapRows).singleElement().satisfies(r -> {
            assertThat(r.externalId()).isEqualTo("42");
            assertThat(r.payload()).isEqualTo("{\"k1\":1,\"k2\":2}");
        });
    }

    @Test
    void catalogRowsCarryIdAndDeletedAsBooleanOrText() throws Exception {
        Path booleans = parquet("catalog.parquet", """
                SELECT * FROM (VALUES ('sku-1', false, '{"p":1}'), ('sku-2', true, NULL), ('sku-3', NULL, '{}'))
                AS t(ID, DELETED, PAYLOAD)
                """);
        Path texts = parquet("catalog-text.parquet", """
                SELECT * FROM (VALUES (1, 'TRUE'), (2, 'false'), (3, 'maybe')) AS t(id, deleted)
                """);

        List<SourceRow> rows = readAll(RecordReaders.openParquet("catalog.parquet", booleans, FILE_TIME));
        List<SourceRow> textRows = readAll(RecordReaders.openParquet("catalog-text.parquet", texts, FILE_TIME));

        assertThat(rows).extracting(SourceRow::id).containsExactly("sku-1", "sku-2", "sku-3");
        assertThat(rows).extracting(SourceRow::deleted).containsExactly(false, true, null);
        assertThat(textRows.subList(0, 2)).extracting(SourceRow::id).containsExactly("1", "2");
        assertThat(textRows.subList(0, 2)).extracting(SourceRow::deleted).containsExactly(true, false);
        assertThat(reason(textRows.get(2))).isEqualTo("DELETED is neither true nor false");
        assertThat(textRows.get(2).rowKey()).isEqualTo("catalog-text.parquet#3");
    }

    @Test
    void updatedAtFromTimestampsTakenAsUtcFromTextOrFromTheFileTime() throws Exception {
        Path timestamps = parquet("ts.parquet", """
                SELECT * FROM (VALUES ('a', TIMESTAMP '2024-05-01 12:00:00.123456'), ('b', NULL),
                  ('c', TIMESTAMP '1969-12-31 23:59:59.5')) AS t(external_id, UPDATED_AT)
                """);
        Path zoned = parquet("tstz.parquet", "SELECT 'a' AS external_id, '2024-05-01 12:00:00+02:00'::TIMESTAMPTZ AS updated_at");
        Path text = parquet("text-ts.parquet", """
                SELECT * FROM (VALUES ('a', '2024-05-01T12:00:00Z'), ('b', 'not a time')) AS t(external_id, updated_at)
                """);
        Path none = parquet("none.parquet", "SELECT 'a' AS external_id");

        assertThat(readAll(RecordReaders.openParquet("ts", timestamps, FILE_TIME))).extracting(SourceRow::updatedAt)
                .containsExactly(Instant.parse("2024-05-01T12:00:00.123456Z"), FILE_TIME, Instant.parse("1969-12-31T23:59:59.5Z"));
        assertThat(readAll(RecordReaders.openParquet("tstz", zoned, FILE_TIME))).extracting(SourceRow::updatedAt)
                .containsExactly(Instant.parse("2024-05-01T10:00:00Z"));
        List<SourceRow> textRows = readAll(RecordReaders.openParquet("text-ts", text, FILE_TIME));
        assertThat(textRows.get(0).updatedAt()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(reason(textRows.get(1))).contains("UPDATED_AT");
        assertThat(readAll(RecordReaders.openParquet("none", none, FILE_TIME))).extracting(SourceRow::updatedAt)
                .containsExactly(FILE_TIME);
    }

    @Test
    void manyRowsComeBackInFileOrderAndTheHeaderIsExposed() throws Exception {
        Path file = parquet("many's.parquet", "SELECT 'u' || i AS external_id, i AS n FROM range(1, 50001) r(i)");

        try (ParquetRecordReader reader = (ParquetRecordReader) RecordReaders.openParquet("many.parquet", file, FILE_TIME)) {
            assertThat(reader.header()).containsExactly("external_id", "n");
            long expected = 0;
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                expected++;
                assertThat(row.externalId()).isEqualTo("u" + expected);
                assertThat(row.rowKey()).isEqualTo("many.parquet#" + expected);
            }
            assertThat(expected).isEqualTo(50_000);
        }
    }

    @Test
    void skipCountsRowsExactlyAsNextDoes() throws Exception {
        Path file = parquet("skip.parquet", "SELECT 'u' || i AS external_id FROM range(1, 101) r(i)");
        List<SourceRow> all = readAll(RecordReaders.openParquet("skip.parquet", file, FILE_TIME));

        for (int n : new int[] {0, 1, 37, 100, 150}) {
            try (RecordReader reader = RecordReaders.openParquet("skip.parquet", file, FILE_TIME)) {
                assertThat(reader.skip(n)).isEqualTo(Math.min(n, 100));
                assertThat(readAll(reader)).isEqualTo(all.subList(Math.min(n, 100), 100));
            }
        }
    }

    @Test
    void aFileWithoutKnownColumnsStillYieldsOneRowPerRecord() throws Exception {
        Path file = parquet("odd.parquet", "SELECT i AS something FROM range(3) r(i)");

        List<SourceRow> rows = readAll(RecordReaders.openParquet("odd.parquet", file, FILE_TIME));

        assertThat(rows).extracting(SourceRow::rowKey).containsExactly("odd.parquet#1", "odd.parquet#2", "odd.parquet#3");
        assertThat(rows).allSatisfy(r -> assertThat(r.externalId()).isNull());
    }

    @Test
    void aFileThatIsNotParquetIsUnreadable() throws Exception {
        Path file = dir.resolve("fake.parquet");
        Files.writeString(file, "{\"external_id\":\"u1\"}\n");

        assertThatThrownBy(() -> RecordReaders.openParquet("in/fake.parquet", file, FILE_TIME))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageStartingWith("in/fake.parquet is not a readable Parquet file: ");
    }

    @Test
    void withoutDuckDbOpeningSaysWhichDependencyToAdd() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("duckdb")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader noDuckDb = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            Class<?> readers = noDuckDb.loadClass(RecordReaders.class.getName());
            assertThatThrownBy(() -> {
                try {
                    readers.getMethod("openParquet", String.class, Path.class, Instant.class)
                            .invoke(null, "in/users.parquet", dir.resolve("users.parquet"), FILE_TIME);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("org.duckdb:duckdb_jdbc");
        }
    }
}
