package io.cdisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.testkit.FakeBraze;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code cdi.jar} against the PostgreSQL the tests start, with JDBC state, and the fake Braze. */
@ExtendWith(PostgresServer.class)
class CliPostgresIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void syncsFromPostgresWithJdbcStateAndReportsBadPasswords(@TempDir Path dir) throws Exception {
        PostgresServer pg = PostgresServer.shared();
        pg.execute("DROP TABLE IF EXISTS cli_events",
                "CREATE TABLE cli_events (updated_at timestamptz, external_id text, payload jsonb)",
                "INSERT INTO cli_events SELECT TIMESTAMPTZ '2026-02-01 00:00:00+00' + i * INTERVAL '1 second', 'user-' || (i % 7),"
                        + " jsonb_build_object('name', 'played', 'properties', jsonb_build_object('level', i))"
                        + " FROM generate_series(0, 199) AS i",
                "INSERT INTO cli_events VALUES (TIMESTAMPTZ '2026-02-01 01:00:00+00', 'user-x', '{\"properties\":{}}')");
        try (FakeBraze braze = FakeBraze.start()) {
            Path config = dir.resolve("cdi.yaml");
            Files.writeString(config, String.join("\n",
                    "sync:", "  name: pg-events", "  dataType: CUSTOM_EVENTS",
                    "braze:", "  endpoint: " + braze.url(), "  apiKey: ${BRAZE_API_KEY}",
                    "source:", "  type: jdbc", "  url: " + pg.url(), "  user: " + pg.user(), "  password: ${PG_PASSWORD}",
                    "  table: cli_events",
                    "state:", "  type: file", "  path: " + dir.resolve("state"), ""));
            Map<String, String> env = Map.of("BRAZE_API_KEY", braze.apiKey(), "PG_PASSWORD", pg.password().reveal());

            CliJar.Result sync = CliJar.run(env, dir, "sync", "--config", config.toString(), "--json");
            assertThat(sync.exitCode()).as(sync.stderr()).isEqualTo(3);
            JsonNode report = JSON.readTree(sync.stdout());
            assertThat(report.path("rowsDelivered").asLong()).isEqualTo(200);
            assertThat(report.path("rowsFailed").asLong()).isEqualTo(1);
            assertThat(report.path("errors").get(0).path("reason").asText()).contains("'name' is missing");
            assertThat(report.path("watermarkAfter").asText()).isEqualTo("2026-02-01T01:00:00Z");
            assertThat(braze.events()).hasSize(200);
            assertThat(braze.events().get(0).path("properties").has("level")).isTrue();

            CliJar.Result again = CliJar.run(env, dir, "sync", "--config", config.toString(), "--json");
            assertThat(again.exitCode()).isZero();
            assertThat(JSON.readTree(again.stdout()).path("rowsDelivered").asLong()).isZero();

            Map<String, String> wrong = Map.of("BRAZE_API_KEY", braze.apiKey(), "PG_PASSWORD", "not-the-password-42");
            CliJar.Result refused = CliJar.run(wrong, dir, "check", "--config", config.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains("password").doesNotContain("not-the-password-42");
        }
    }
}
