package io.cdisync.s3.internal;

import static io.cdisync.s3.internal.TestFiles.FILE_TIME;
import static io.cdisync.s3.internal.TestFiles.ndjson;
import static io.cdisync.s3.internal.TestFiles.readAll;
import static io.cdisync.s3.internal.TestFiles.reason;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.core.spi.SourceRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonRecordReaderTest {

    @Test
    void readsEachIdentifierKindWithTheFileTimeAsUpdatedAt() throws IOException {
        List<SourceRow> rows = readAll(ndjson("""
                {"external_id":"u1","payload":{"plan":"gold"}}
                {"ALIAS_NAME":"a1","Alias_Label":"crm","PAYLOAD":"{\\"plan\\":\\"silver\\"}"}
                {"braze_id":"5f0c3a","payload":{}}
                {"email":"jane@example.com","payload":{"x":[1,{"y":null}]}}
                {"phone":"+15555550100","payload":null}
                """));

        assertThat(rows).extracting(SourceRow::rowKey)
                .containsExactly("in/users.json:1", "in/users.json:2", "in/users.json:3", "in/users.json:4", "in/users.json:5");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.isUnreadable()).isFalse();
            assertThat(r.updatedAt()).isEqualTo(FILE_TIME);
        });
        assertThat(rows.get(0).externalId()).isEqualTo("u1");
        assertThat(rows.get(0).payload()).isEqualTo("{\"plan\":\"gold\"}");
        assertThat(rows.get(1).aliasName()).isEqualTo("a1");
        assertThat(rows.get(1).aliasLabel()).isEqualTo("crm");
        assertThat(rows.get(1).payload()).isEqualTo("{\"plan\":\"silver\"}");
        assertThat(rows.get(2).brazeId()).isEqualTo("5f0c3a");
        assertThat(rows.get(2).payload()).isEqualTo("{}");
        assertThat(rows.get(3).email()).isEqualTo("jane@example.com");
        assertThat(rows.get(3).payload()).isEqualTo("{\"x\":[1,{\"y\":null}]}");
        assertThat(rows.get(4).phone()).isEqualTo("+15555550100");
        assertThat(rows.get(4).payload()).isNull();
    }

    @Test
    void anObjectPayloadIsItsExactTextInTheLineWhateverItsCharacters() throws IOException {
        String payload = "{ \"name\" : \"Zoë 🚀\",\t\"n\":1.50e2, \"esc\":\"a\\\"}b\\u00e9\", \"nested\":{\"k\":[{}]} }";
        List<SourceRow> rows = readAll(ndjson("  {\"id\":\"é\", \"payload\":" + payload + ", \"after\":{\"x\":1}}  \n"));

        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.payload()).isEqualTo(payload);
            assertThat(r.id()).isEqualTo("é");
        });
    }

    @Test
    void unknownColumnsAreIgnoredAndScalarIdentifiersBecomeText() throws IOException {
        List<SourceRow> rows = readAll(ndjson("""
                {"Name":"x","external_id":12345678901234567890,"extra":{"a":[1,2]},"EMAIL":"","phone":null,"braze_id":true}
                {"external_id":1.5e3,"id":42}
                """));

        assertThat(rows.get(0).externalId()).isEqualTo("12345678901234567890");
        assertThat(rows.get(0).email()).isNull();
        assertThat(rows.get(0).phone()).isNull();
        assertThat(rows.get(0).brazeId()).isEqualTo("true");
        assertThat(rows.get(0).payload()).isNull();
        assertThat(rows.get(1).externalId()).isEqualTo("1.5e3");
        assertThat(rows.get(1).id()).isEqualTo("42");
    }

    @Test
    void blankLinesAreNotRecordsAndLineNumbersStayPhysical() throws IOException {
        List<SourceRow> rows = readAll(ndjson("\n{\"external_id\":\"a\"}\r\n   \n\t\r\n{\"external_id\":\"b\"}\n\n"));

        assertThat(rows).extracting(SourceRow::rowKey).containsExactly("in/users.json:2", "in/users.json:5");
        assertThat(rows).extracting(SourceRow::externalId).containsExactly("a", "b");
    }

    @Test
    void aBomAtTheStartIsSkippedAndTheLastLineNeedsNoNewline() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "{\"external_id\":\"a\"}\n{\"external_id\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(bom), new ByteArrayInputStream(body));

        List<SourceRow> rows = readAll(RecordReaders.open(FileFormat.NDJSON, "k.json", in, FILE_TIME, 1024));

        assertThat(rows).extracting(SourceRow::externalId).containsExactly("a", "b");
        assertThat(rows).noneMatch(SourceRow::isUnreadable);
    }

    @Test
    void badLinesInTheMiddleAreUnreadableRowsAndReadingGoesOn() throws IOException {
        List<SourceRow> rows = readAll(ndjson("""
                {"external_id":"ok1"}
                {"external_id":"jane@example.com",
                not json at all jane@example.com
                ["an","array"]
                "a string"
                {"external_id":"x"} trailing
                {"external_id":"x"} {"external_id":"y"}
                {'single':'quotes'}
                {"external_id":"ok2"}
                """));

        assertThat(rows).hasSize(9);
        assertThat(rows.get(0).externalId()).isEqualTo("ok1");
        assertThat(rows.get(8).externalId()).isEqualTo("ok2");
        assertThat(rows.get(8).rowKey()).isEqualTo("in/users.json:9");
        List<SourceRow> bad = rows.subList(1, 8);
        assertThat(bad).allMatch(SourceRow::isUnreadable);
        assertThat(bad).extracting(SourceRow::rowKey).containsExactly("in/users.json:2", "in/users.json:3",
                "in/users.json:4", "in/users.json:5", "in/users.json:6", "in/users.json:7", "in/users.json:8");
        assertThat(reason(bad.get(0))).startsWith("line 2 is not valid JSON: Unexpected end-of-input");
        assertThat(reason(bad.get(1))).startsWith("line 3 is not valid JSON: Unrecognized token");
        assertThat(reason(bad.get(2))).isEqualTo("line 4 is not a JSON object");
        assertThat(reason(bad.get(3))).isEqualTo("line 5 is not a JSON object");
        assertThat(reason(bad.get(4))).startsWith("line 6 is not valid JSON");
        assertThat(reason(bad.get(5))).isEqualTo("line 7 has more after its JSON object");
        assertThat(reason(bad.get(6))).startsWith("line 8 is not valid JSON");
        // Reasons never carry the record's content.
        assertThat(bad).allSatisfy(r -> assertThat(reason(r)).doesNotContain("jane", "example", "not json", "trailing", "single"));
    }

    @Test
    void aLineOverTheLimitIsUnreadableAndItsRestIsSkipped() throws IOException {
        String longLine = "{\"external_id\":\"" + "x".repeat(300_000) + "\"}";
        String exact = "{\"external_id\":\"" + "y".repeat(100 - 18) + "\"}"; // exactly 100 bytes
        assertThat(exact).hasSize(100);
        List<SourceRow> rows = readAll(ndjson("{\"external_id\":\"a\"}\n" + longLine + "\n" + exact + "\r\n"
                + "{\"external_id\":\"" + "z".repeat(83) + "\"}\n{\"external_id\":\"b\"}", 100));

        assertThat(rows).hasSize(5);
        assertThat(rows.get(0).externalId()).isEqualTo("a");
        assertThat(rows.get(1).rowKey()).isEqualTo("in/users.json:2");
        assertThat(reason(rows.get(1))).isEqualTo("line 2 is longer than 100 bytes");
        assertThat(rows.get(2).externalId()).hasSize(82);
        assertThat(reason(rows.get(3))).isEqualTo("line 4 is longer than 100 bytes");
        assertThat(rows.get(4).externalId()).isEqualTo("b");
        assertThat(rows.get(4).rowKey()).isEqualTo("in/users.json:5");
    }

    @Test
    void anOverLongLastLineWithoutNewlineIsUnreadable() throws IOException {
        List<SourceRow> rows = readAll(ndjson("{\"external_id\":\"a\"}\n" + "{\"p\":\"" + "x".repeat(5000) + "\"}", 64));

        assertThat(rows).hasSize(2);
        assertThat(reason(rows.get(1))).isEqualTo("line 2 is longer than 64 bytes");
    }

    @Test
    void catalogRowsCarryIdAndDeleted() throws IOException {
        List<SourceRow> rows = readAll(ndjson("""
                {"ID":"sku-1","DELETED":false,"PAYLOAD":{"price":3}}
                {"id":"sku-2","deleted":true}
                {"id":"sku-3","deleted":"TRUE"}
                {"id":"sku-4","deleted":"False"}
                {"id":"sku-5","deleted":null}
                {"id":"sku-6","deleted":"yes"}
                {"id":"sku-7","deleted":1}
                {"id":"sku-8","deleted":{"a":1}}
                """));

        assertThat(rows).extracting(SourceRow::id).startsWith("sku-1", "sku-2", "sku-3", "sku-4", "sku-5");
        assertThat(rows.subList(0, 5)).extracting(SourceRow::deleted).containsExactly(false, true, true, false, null);
        assertThat(reason(rows.get(5))).isEqualTo("DELETED is neither true nor false");
        assertThat(reason(rows.get(6))).isEqualTo("DELETED is neither true nor false");
        assertThat(reason(rows.get(7))).isEqualTo("DELETED is a JSON object, not a single value");
        assertThat(rows.get(7).rowKey()).isEqualTo("in/users.json:8");
    }

    @Test
    void updatedAtIsTakenWhenPresentAndAnUnparseableOneMakesTheRecordUnreadable() throws IOException {
        List<SourceRow> rows = readAll(ndjson("""
                {"external_id":"a","updated_at":"2024-05-01T12:00:00Z"}
                {"external_id":"b","UPDATED_AT":"2024-05-01T14:00:00.123+02:00"}
                {"external_id":"c","updated_at":"2024-05-01 12:30:00"}
                {"external_id":"d"}
                {"external_id":"e","updated_at":null}
                {"external_id":"f","updated_at":"yesterday"}
                {"external_id":"g","updated_at":1714564800}
                """));

        assertThat(rows.subList(0, 5)).extracting(SourceRow::updatedAt).containsExactly(
                Instant.parse("2024-05-01T12:00:00Z"), Instant.parse("2024-05-01T12:00:00.123Z"),
                Instant.parse("2024-05-01T12:30:00Z"), FILE_TIME, FILE_TIME);
        assertThat(rows.subList(5, 7)).allSatisfy(r -> assertThat(reason(r)).contains("UPDATED_AT"));
    }

    @Test
    void anIdentifierThatIsAnObjectMakesTheRecordUnreadable() throws IOException {
        List<SourceRow> rows = readAll(ndjson("{\"external_id\":{\"a\":1},\"payload\":{}}\n{\"email\":[\"a\"]}\n"));

        assertThat(reason(rows.get(0))).isEqualTo("EXTERNAL_ID is a JSON object, not a single value");
        assertThat(reason(rows.get(1))).isEqualTo("EMAIL is a JSON array, not a single value");
    }

    @Test
    void anEmptyFileHasNoRecords() throws IOException {
        assertThat(readAll(ndjson(""))).isEmpty();
        assertThat(readAll(ndjson("\n\n  \n"))).isEmpty();
    }

    @Test
    void streamsFiftyMegabytesGeneratedOnTheFly() throws IOException {
        int records = 400_000;
        InputStream generated = new GeneratedNdjson(records);
        long count = 0;
        long unreadable = 0;
        try (RecordReader reader = RecordReaders.open(FileFormat.NDJSON, "big.json", generated, FILE_TIME, 4096)) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                count++;
                if (row.isUnreadable()) {
                    unreadable++;
                }
            }
        }
        assertThat(((GeneratedNdjson) generated).bytes()).isGreaterThan(50L * 1024 * 1024);
        assertThat(count).isEqualTo(records);
        assertThat(unreadable).isEqualTo(records / 1000);
    }

    /** An NDJSON stream made line by line as it is read: never in memory whole. Every 1000th line is broken. */
    private static final class GeneratedNdjson extends InputStream {
        private final int records;
        private int next;
        private byte[] line = new byte[0];
        private int pos;
        private long bytes;

        GeneratedNdjson(int records) {
            this.records = records;
        }

        long bytes() {
            return bytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == line.length) {
                if (next == records) {
                    return -1;
                }
                next++;
                String text = next % 1000 == 0 ? "{\"external_id\":\"broken\n"
                        : "{\"external_id\":\"user-" + next + "\",\"updated_at\":\"2024-05-01T12:00:00Z\",\"payload\":"
                                + "{\"first_name\":\"Jane\",\"plan\":\"gold\",\"visits\":" + next + ",\"tags\":[\"a\",\"b\"],"
                                + "\"address\":{\"city\":\"Paris\",\"zip\":\"75001\"}}}\n";
                line = text.getBytes(StandardCharsets.UTF_8);
                pos = 0;
            }
            int n = Math.min(len, line.length - pos);
            System.arraycopy(line, pos, b, off, n);
            pos += n;
            bytes += n;
            return n;
        }
    }
}
