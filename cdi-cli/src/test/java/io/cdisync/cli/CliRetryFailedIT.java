package io.cdisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdisync.testkit.FakeBraze;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cdi retry-failed} with the real jar: rows Braze refused during a sync are re-sent once Braze takes them. */
class CliRetryFailedIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void rowsRefusedDuringASyncAreResentOnDemandAndLeaveTheLog() throws Exception {
        Path database = dir.resolve("warehouse.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users_sync (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR)");
            s.execute("INSERT INTO users_sync SELECT TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (i) SECOND, 'user-' || i,"
                    + " '{\"n\":' || i || '}' FROM range(0, 20) t(i)");
        }
        try (FakeBraze braze = FakeBraze.start()) {
            Path config = dir.resolve("cdi.yaml");
            Files.writeString(config, String.join("\n", "sync:", "  name: users", "  dataType: USER_ATTRIBUTES",
                    "  keepFailedRowPayloads: true", "braze:", "  endpoint: " + braze.url(), "  apiKey: ${BRAZE_API_KEY}", "source:",
                    "  type: duckdb", "  path: " + database, "  table: users_sync", "state:", "  type: file",
                    "  path: " + dir.resolve("state"), ""));
            Map<String, String> env = Map.of("BRAZE_API_KEY", braze.apiKey());
            Set<String> refused = Set.of("user-3", "user-11", "user-17");
            braze.rejectObjects(o -> refused.contains(o.path("external_id").asText()), "user is blocklisted");

            CliJar.Result sync = CliJar.run(env, dir, "sync", "--config", config.toString(), "--json");
            assertThat(sync.exitCode()).as(sync.stderr()).isEqualTo(3);
            assertThat(JSON.readTree(sync.stdout()).path("rowsFailed").asLong()).isEqualTo(3);
            assertThat(braze.attributes()).hasSize(17);

            braze.reset();
            braze.rejectObjects(o -> o.path("external_id").asText().equals("user-17"), "user is still blocklisted");
            CliJar.Result retry = CliJar.run(env, dir, "retry-failed", "--config", config.toString(), "--json");
            assertThat(retry.exitCode()).as(retry.stderr()).isEqualTo(3);
            JsonNode report = JSON.readTree(retry.stdout());
            assertThat(report.path("retried").asLong()).isEqualTo(3);
            assertThat(report.path("delivered").asLong()).isEqualTo(2);
            assertThat(report.path("failedAgain").asLong()).isEqualTo(1);
            assertThat(braze.attributes()).extracting(o -> o.path("external_id").asText()).containsExactlyInAnyOrder("user-3", "user-11");

            braze.reset();
            CliJar.Result last = CliJar.run(env, dir, "retry-failed", "--config", config.toString());
            assertThat(last.exitCode()).as(last.stderr()).isZero();
            assertThat(last.stdout()).contains("retry-failed users: 1 failed rows re-sent: 1 delivered, 0 failed again");
            assertThat(braze.attributes()).extracting(o -> o.path("n").asInt()).containsExactly(17);

            CliJar.Result nothing = CliJar.run(env, dir, "retry-failed", "--config", config.toString());
            assertThat(nothing.exitCode()).isZero();
            assertThat(nothing.stdout()).contains("0 failed rows re-sent");
            CliJar.Result status = CliJar.run(env, dir, "status", "--config", config.toString(), "--json");
            assertThat(JSON.readTree(status.stdout()).path("watermark").asText()).as("retries never move the watermark")
                    .isEqualTo("2026-01-01T00:00:19Z");
        }
    }
}
