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
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code cdi.jar} in a child process: a DuckDB table to the fake Braze; exit codes, JSON, errors. */
class CliDuckDbIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path database;

    @BeforeEach
    void table() throws Exception {
        database = dir.resolve("warehouse.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users_sync (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR)");
            s.execute("INSERT INTO users_sync SELECT TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (i) SECOND, 'user-' || i,"
                    + " '{\"n\":' || i || ',\"address\":{\"city\":\"Paris\"}}' FROM range(0, 300) t(i)");
        }
    }

    Path config(FakeBraze braze, String extraSync) throws Exception {
        Path file = dir.resolve("cdi.yaml");
        Files.writeString(file, String.join("\n",
                "sync:",
                "  name: users",
                "  dataType: USER_ATTRIBUTES",
                extraSync,
                "braze:",
                "  endpoint: " + braze.url(),
                "  apiKey: ${BRAZE_API_KEY}",
                "source:",
                "  type: duckdb",
                "  path: " + database,
                "  table: users_sync",
                "state:",
                "  type: file",
                "  path: " + dir.resolve("state"),
                ""));
        return file;
    }

    @Test
    void syncsWithJsonReportThenRunsIncrementally() throws Exception {
        try (FakeBraze braze = FakeBraze.start()) {
            Path config = config(braze, "  lookback: PT1M");
            Map<String, String> env = Map.of("BRAZE_API_KEY", braze.apiKey());

            CliJar.Result first = CliJar.run(env, dir, "sync", "--config", config.toString(), "--json");
            assertThat(first.exitCode()).as(first.stderr()).isZero();
            JsonNode report = JSON.readTree(first.stdout());
            assertThat(report.path("status").asText()).isEqualTo("SUCCESS");
            assertThat(report.path("rowsRead").asLong()).isEqualTo(300);
            assertThat(report.path("rowsDelivered").asLong()).isEqualTo(300);
            assertThat(report.path("rowsFailed").asLong()).isZero();
            assertThat(report.path("watermarkBefore").isNull()).isTrue();
            assertThat(report.path("watermarkAfter").asText()).isEqualTo("2026-01-01T00:04:59Z");
            assertThat(report.path("errors").isArray()).isTrue();
            assertThat(braze.attributes()).hasSize(300);
            assertThat(braze.attributes().get(0).path("address").path("city").asText()).isEqualTo("Paris");

            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
                s.execute("INSERT INTO users_sync VALUES (TIMESTAMP '2026-01-01 00:05:00', 'late', '{\"late\":true}'),"
                        + " (TIMESTAMP '2026-01-01 00:05:01', 'broken', '{not json')");
            }
            CliJar.Result second = CliJar.run(env, dir, "sync", "--config", config.toString(), "--json");
            assertThat(second.exitCode()).as("row errors give exit code 3").isEqualTo(3);
            JsonNode again = JSON.readTree(second.stdout());
            assertThat(again.path("rowsDelivered").asLong()).isEqualTo(1);
            assertThat(again.path("rowsSkipped").asLong()).isEqualTo(61); // 00:03:59..00:04:59, the lookback minute, already delivered
            assertThat(again.path("errors").get(0).path("reason").asText()).contains("not valid JSON");
            assertThat(again.path("errors").get(0).path("rowKey").asText()).isNotBlank();
            assertThat(braze.attributes()).hasSize(301);

            CliJar.Result status = CliJar.run(env, dir, "status", "--config", config.toString(), "--json");
            assertThat(status.exitCode()).isZero();
            JsonNode state = JSON.readTree(status.stdout());
            assertThat(state.path("watermark").asText()).isEqualTo("2026-01-01T00:05:01Z");
            assertThat(state.path("lastRun").path("rowsFailed").asLong()).isEqualTo(1);
        }
    }

    @Test
    void dryRunAndPreviewSendNothing() throws Exception {
        try (FakeBraze braze = FakeBraze.start()) {
            Path config = config(braze, "");
            Map<String, String> env = Map.of("BRAZE_API_KEY", braze.apiKey());

            CliJar.Result dry = CliJar.run(env, dir, "sync", "--config", config.toString(), "--dry-run", "--json");
            assertThat(dry.exitCode()).as(dry.stderr()).isZero();
            assertThat(JSON.readTree(dry.stdout()).path("rowsDelivered").asLong()).isEqualTo(300);

            CliJar.Result preview = CliJar.run(env, dir, "preview", "--config", config.toString(), "--limit", "2");
            assertThat(preview.exitCode()).as(preview.stderr()).isZero();
            assertThat(preview.stdout()).contains("{\"external_id\":\"user-0\",\"n\":0,\"address\":{\"city\":\"Paris\"}}")
                    .contains("2 rows previewed");

            CliJar.Result check = CliJar.run(env, dir, "check", "--config", config.toString());
            assertThat(check.exitCode()).as(check.stderr()).isZero();
            assertThat(check.stdout()).contains("check passed");
            assertThat(braze.requests()).isEmpty();
        }
    }

    @Test
    void aBadApiKeyIsAGlobalFailureAndLeaksNothing() throws Exception {
        try (FakeBraze braze = FakeBraze.start()) {
            Path config = config(braze, "");
            CliJar.Result result = CliJar.run(Map.of("BRAZE_API_KEY", "wrong-key-for-test"), dir, "sync", "--config",
                    config.toString(), "--json");
            assertThat(result.exitCode()).isEqualTo(1);
            JsonNode report = JSON.readTree(result.stdout());
            assertThat(report.path("status").asText()).isEqualTo("ERROR");
            assertThat(report.path("failure").path("message").asText()).contains("401");
            assertThat(report.path("watermarkAfter").isNull()).isTrue();
            assertThat(result.stdout() + result.stderr()).doesNotContain("wrong-key-for-test");
            assertThat(braze.attributes()).isEmpty();
        }
    }

    @Test
    void badConfigAndBadUsageExitWithTwoAndNameTheKey() throws Exception {
        try (FakeBraze braze = FakeBraze.start()) {
            Path config = config(braze, "  colour: blue");
            CliJar.Result unknown = CliJar.run(Map.of("BRAZE_API_KEY", "k"), dir, "sync", "--config", config.toString());
            assertThat(unknown.exitCode()).isEqualTo(2);
            assertThat(unknown.stderr()).contains("sync.colour: unknown key");

            Path good = config(braze, "");
            CliJar.Result noEnv = CliJar.run(Map.of(), dir, "sync", "--config", good.toString());
            assertThat(noEnv.exitCode()).isEqualTo(2);
            assertThat(noEnv.stderr()).contains("braze.apiKey: environment variable BRAZE_API_KEY is not set");

            Files.writeString(good, Files.readString(good).replace("type: duckdb", "type: oracle9"));
            CliJar.Result badType = CliJar.run(Map.of("BRAZE_API_KEY", "k"), dir, "check", "--config", good.toString());
            assertThat(badType.exitCode()).isEqualTo(2);
            assertThat(badType.stderr()).contains("source.type: unknown source type 'oracle9'").contains("duckdb").contains("jdbc");

            CliJar.Result usage = CliJar.run(Map.of(), dir, "sync");
            assertThat(usage.exitCode()).isEqualTo(2);
            assertThat(usage.stderr()).contains("--config FILE is required");
            assertThat(CliJar.run(Map.of(), dir, "frobnicate").exitCode()).isEqualTo(2);
        }
    }

    @Test
    void aMissingTableIsAGlobalFailureThatSaysWhatToFix() throws Exception {
        try (FakeBraze braze = FakeBraze.start()) {
            Path config = config(braze, "");
            Files.writeString(config, Files.readString(config).replace("table: users_sync", "table: no_such_table"));
            CliJar.Result check = CliJar.run(Map.of("BRAZE_API_KEY", "k"), dir, "check", "--config", config.toString());
            assertThat(check.exitCode()).isEqualTo(1);
            assertThat(check.stderr()).contains("no_such_table");
            assertThat(Files.list(dir).map(Path::toString).collect(Collectors.joining())).doesNotContain("state");
        }
    }
}
