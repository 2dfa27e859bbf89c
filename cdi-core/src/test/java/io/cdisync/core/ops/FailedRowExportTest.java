package io.cdisync.core.ops;

import static io.cdisync.core.ops.OpsFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdisync.core.RowError;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailedRowExportTest {
    final InMemoryRunLog log = new InMemoryRunLog();

    @Test
    void csvFollowsRfc4180AndNeverCarriesThePayload() throws Exception {
        log.recordFailedRows(List.of(OpsFixtures.failedRow("users", "users#1", T0, T0, true),
                FailedRow.of("users", new RowError("file.csv:17", null, null, RowError.Kind.INVALID_PAYLOAD,
                        "PAYLOAD is not JSON: unexpected \"x\", at line 1,\r\nfix the writer"), "run-2", T0.plusSeconds(1), null)));
        StringWriter out = new StringWriter();
        assertThat(FailedRowExport.csv(log, "users", out)).isEqualTo(2);
        assertThat(out.toString()).isEqualTo(
                "integration,row_key,updated_at,identifier,kind,reason,run_id,recorded_at,attempts\r\n"
                + "users,users#1,2026-03-01T10:00:00Z,external_id:user-users#1,REJECTED_BY_BRAZE,rejected by Braze: bad,run-1,"
                + "2026-03-01T10:00:00Z,1\r\n"
                + "users,file.csv:17,,,INVALID_PAYLOAD,\"PAYLOAD is not JSON: unexpected \"\"x\"\", at line 1,\r\nfix the writer\","
                + "run-2,2026-03-01T10:00:01Z,1\r\n");
        assertThat(out.toString()).doesNotContain("gold");
        assertThat(FailedRowExport.csvField("plain")).isEqualTo("plain");
        assertThat(FailedRowExport.csvField("a\nb")).isEqualTo("\"a\nb\"");
    }

    @Test
    void jsonLinesHoldOneObjectPerRow() throws Exception {
        log.recordFailedRows(List.of(OpsFixtures.failedRow("users", "users#1", T0, T0, true),
                FailedRow.of("users", new RowError("k\n2", null, null, RowError.Kind.INVALID_UPDATED_AT, "UPDATED_AT is NULL"), "run-2",
                        T0, null)));
        StringWriter out = new StringWriter();
        assertThat(FailedRowExport.jsonLines(log, "users", out)).isEqualTo(2);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.path("row_key").asText()).isEqualTo("k\n2");
        assertThat(second.path("updated_at").isNull()).isTrue();
        assertThat(second.path("identifier").isNull()).isTrue();
        assertThat(second.path("attempts").asInt()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(lines.get(0)).path("reason").asText()).isEqualTo("rejected by Braze: bad");
        assertThat(out.toString()).doesNotContain("gold");
    }
}
