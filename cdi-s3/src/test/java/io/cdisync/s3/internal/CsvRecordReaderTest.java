package io.cdisync.s3.internal;

import static io.cdisync.s3.internal.TestFiles.FILE_TIME;
import static io.cdisync.s3.internal.TestFiles.csv;
import static io.cdisync.s3.internal.TestFiles.readAll;
import static io.cdisync.s3.internal.TestFiles.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.spi.SourceRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {

    @Test
    void readsEachIdentifierKindAndIgnoresUnknownColumns() throws IOException {
        CsvRecordReader reader = csv("""
                External_Id,alias_name,ALIAS_LABEL,braze_id,email,phone,PAYLOAD,notes
                u1,,,,,,"{""plan"":""gold""}",hello
                ,a1,crm,,,,{},
                ,,,5f0c3a,,,,
                ,,,,jane@example.com,,"{""x"":[1,2]}",
                ,,,,,+15555550100,,
                """);

        assertThat(reader.header()).containsExactly("External_Id", "alias_name", "ALIAS_LABEL", "braze_id", "email",
                "phone", "PAYLOAD", "notes");
        List<SourceRow> rows = readAll(reader);

        assertThat(rows).extracting(SourceRow::rowKey)
                .containsExactly("in/users.csv:2", "in/users.csv:3", "in/users.csv:4", "in/users.csv:5", "in/users.csv:6");
        assertThat(rows).noneMatch(SourceRow::isUnreadable).allMatch(r -> r.updatedAt().equals(FILE_TIME));
        assertThat(rows.get(0).externalId()).isEqualTo("u1");
        assertThat(rows.get(0).payload()).isEqualTo("{\"plan\":\"gold\"}");
        assertThat(rows.get(0).aliasName()).isNull();
        assertThat(rows.get(1).aliasName()).isEqualTo("a1");
        assertThat(rows.get(1).aliasLabel()).isEqualTo("crm");
        assertThat(rows.get(1).payload()).isEqualTo("{}");
        assertThat(rows.get(2).brazeId()).isEqualTo("5f0c3a");
        assertThat(rows.get(2).payload()).isNull();
        assertThat(rows.get(3).email()).isEqualTo("jane@example.com");
        assertThat(rows.get(3).payload()).isEqualTo("{\"x\":[1,2]}");
        assertThat(rows.get(4).phone()).isEqualTo("+15555550100");
    }

    @Test
    void quotedFieldsHoldCommasAndNewlinesAndRowKeysUseTheLineTheRecordStartsOn() throws IOException {
        List<SourceRow> rows = readAll(csv("EXTERNAL_ID,PAYLOAD\r\n"
                + "u1,\"{\"\"bio\"\":\"\"line one\r\nline two, with a comma\"\"}\"\r\n"
                + "\r\n"
                + "\"u,2\",\"{}\"\r\n"
                + "u3,\"{\n\n}\"\n"
                + "u4,{}"));

        assertThat(rows).extracting(SourceRow::rowKey)
                .containsExactly("in/users.csv:2", "in/users.csv:5", "in/users.csv:6", "in/users.csv:9");
        assertThat(rows.get(0).payload()).isEqualTo("{\"bio\":\"line one\r\nline two, with a comma\"}");
        assertThat(rows.get(1).externalId()).isEqualTo("u,2");
        assertThat(rows.get(2).payload()).isEqualTo("{\n\n}");
        assertThat(rows.get(3).externalId()).isEqualTo("u4");
    }

    @Test
    void aRecordWithTheWrongNumberOfValuesIsUnreadableAndReadingGoesOn() throws IOException {
        List<SourceRow> rows = readAll(csv("""
                external_id,email,phone,payload
                u1,,,{}
                u2,jane@example.com,{}
                u3,,,{},extra
                u4
                u5,,,{}
                """));

        assertThat(rows).hasSize(5);
        assertThat(rows.get(0).externalId()).isEqualTo("u1");
        assertThat(rows.get(1).rowKey()).isEqualTo("in/users.csv:3");
        assertThat(reason(rows.get(1))).isEqualTo("line 3 has 3 values; the header has 4 columns");
        assertThat(reason(rows.get(2))).isEqualTo("line 4 has 5 values; the header has 4 columns");
        assertThat(reason(rows.get(3))).isEqualTo("line 5 has 1 value; the header has 4 columns");
        assertThat(rows.get(4).externalId()).isEqualTo("u5");
        assertThat(rows.get(4).rowKey()).isEqualTo("in/users.csv:6");
    }

    @Test
    void aMalformedQuoteGivesOneUnreadableRecordAndEndsTheFile() throws IOException {
        List<SourceRow> rows = readAll(csv("""
                external_id,payload
                u1,{}
                "jane@example.com"x,{}
                u3,{}
                """));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).externalId()).isEqualTo("u1");
        assertThat(rows.get(1).rowKey()).isEqualTo("in/users.csv:3");
        assertThat(reason(rows.get(1))).startsWith("line 3 is not valid CSV: ").endsWith("the rest of the file was not read")
                .doesNotContain("jane", "example");
    }

    @Test
    void catalogRowsCarryIdAndDeleted() throws IOException {
        List<SourceRow> rows = readAll(csv("""
                ID,DELETED,PAYLOAD
                sku-1,false,"{""price"":3}"
                sku-2,TRUE,
                sku-3,,{}
                sku-4,yes,{}
                """));

        assertThat(rows.subList(0, 3)).extracting(SourceRow::id).containsExactly("sku-1", "sku-2", "sku-3");
        assertThat(rows.subList(0, 3)).extracting(SourceRow::deleted).containsExactly(false, true, null);
        assertThat(reason(rows.get(3))).isEqualTo("DELETED is neither true nor false");
        assertThat(rows.get(3).rowKey()).isEqualTo("in/users.csv:5");
    }

    @Test
    void updatedAtIsTakenWhenPresentAndAnUnparseableOneMakesTheRecordUnreadable() throws IOException {
        List<SourceRow> rows = readAll(csv("""
                external_id,updated_at
                a,2024-05-01T12:00:00Z
                b,2024-05-01T12:00:00-05:00
                c,
                d,05/01/2024
                """));

        assertThat(rows.subList(0, 3)).extracting(SourceRow::updatedAt).containsExactly(
                Instant.parse("2024-05-01T12:00:00Z"), Instant.parse("2024-05-01T17:00:00Z"), FILE_TIME);
        assertThat(reason(rows.get(3))).contains("UPDATED_AT");
    }

    @Test
    void aBomIsSkippedSoTheFirstColumnIsStillFound() throws IOException {
        byte[] body = "EXTERNAL_ID,PAYLOAD\nu1,{}\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[body.length + 3];
        content[0] = (byte) 0xEF;
        content[1] = (byte) 0xBB;
        content[2] = (byte) 0xBF;
        System.arraycopy(body, 0, content, 3, body.length);

        CsvRecordReader reader = (CsvRecordReader) TestFiles.open(FileFormat.CSV, "bom.csv", content, 1024);

        assertThat(reader.header()).containsExactly("EXTERNAL_ID", "PAYLOAD");
        assertThat(readAll(reader)).singleElement().satisfies(r -> assertThat(r.externalId()).isEqualTo("u1"));
    }

    @Test
    void anEmptyFileHasNoHeaderAndNoRecords() throws IOException {
        CsvRecordReader empty = csv("");
        assertThat(empty.header()).isEmpty();
        assertThat(readAll(empty)).isEmpty();

        CsvRecordReader headerOnly = csv("EXTERNAL_ID,PAYLOAD\n");
        assertThat(headerOnly.header()).containsExactly("EXTERNAL_ID", "PAYLOAD");
        assertThat(readAll(headerOnly)).isEmpty();
    }

    @Test
    void aHeaderWithNoKnownColumnIsExposedForTheCallerToJudge() throws IOException {
        CsvRecordReader reader = csv("name,city\nJane,Paris\n");

        assertThat(reader.header()).containsExactly("name", "city");
        assertThat(readAll(reader)).singleElement().satisfies(r -> {
            assertThat(r.isUnreadable()).isFalse();
            assertThat(r.externalId()).isNull();
            assertThat(r.payload()).isNull();
        });
    }

    @Test
    void aValueOverTheLimitEndsTheFileWithAnUnreadableRecord() throws IOException {
        String content = "external_id,payload\nu1,{}\nu2,\"" + "x".repeat(5000) + "\"\nu3,{}\n";
        List<SourceRow> rows = readAll(TestFiles.open(FileFormat.CSV, "big.csv", content.getBytes(StandardCharsets.UTF_8), 1000));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).rowKey()).isEqualTo("big.csv:3");
        assertThat(reason(rows.get(1))).isEqualTo("line 3 has a value longer than 1000 characters; the rest of the file was not read");
    }

    @Test
    void aHeaderThatIsNotValidCsvMakesTheFileUnreadable() {
        assertThatThrownBy(() -> csv("\"external_id\"x,payload\nu1,{}\n"))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageStartingWith("in/users.csv: the CSV header on line 1 is not valid CSV");
    }
}
