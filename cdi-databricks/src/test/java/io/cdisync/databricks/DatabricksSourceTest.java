package io.cdisync.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Databricks JDBC driver (REST mode) against {@link FakeDatabricks}: SQL, parameters, rows, payload shapes, auth. */
class DatabricksSourceTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456Z");
    static final Instant UNTIL = Instant.parse("2026-06-01T00:00:00Z");

    final FakeDatabricks databricks = FakeDatabricks.start();
    TimeZone jvmZone;

    @BeforeEach
    void jvmInNewYork() {
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    }

    @AfterEach
    void close() {
        TimeZone.setDefault(jvmZone);
        databricks.close();
    }

    static FakeDatabricksTable usersTable(FakeDatabricks databricks, String payloadType) {
        return databricks.table("main", "braze", "users_sync").column("updated_at", "TIMESTAMP").column("external_id", "STRING")
                .column("payload", payloadType).column("notes", "STRING");
    }

    static DatabricksSource.Builder source(FakeDatabricks databricks) {
        return DatabricksSource.builder().url(databricks.url()).httpPath("/sql/1.0/warehouses/wh123")
                .token(Secret.of(FakeDatabricks.TOKEN)).catalog("main").schema("braze").table("users_sync")
                .connectionProperty("EnableQueryResultDownload", "0");
    }

    static List<SourceRow> readAll(DatabricksSource source, Instant from) {
        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = source.read(new ReadRequest(from, UNTIL, 100))) {
            for (RowBatch batch = stream.nextBatch(); batch != null; batch = stream.nextBatch()) {
                rows.addAll(batch.rows());
            }
        }
        return rows;
    }

    @Test
    void readsRowsWithTheBoundsAsUtcStringParametersAndTimestampsAsInstants() {
        FakeDatabricksTable table = usersTable(databricks, "STRING");
        table.insert(Map.of("updated_at", T0.plusSeconds(20), "external_id", "u2", "payload", "{\"tier\":\"gold\"}"));
        table.insert(Map.of("updated_at", T0, "external_id", "u1", "payload", "{\"n\":1,\"tags\":[{\"k\":\"a\"}]}"));
        table.insert(Map.of("updated_at", UNTIL.plusSeconds(1), "external_id", "future", "payload", "{}"));

        List<SourceRow> rows = readAll(source(databricks).build(), null);

        assertThat(rows).extracting(SourceRow::externalId).containsExactly("u1", "u2");
        assertThat(rows.get(0).updatedAt()).isEqualTo(T0);
        assertThat(rows.get(0).payload()).isEqualTo("{\"n\":1,\"tags\":[{\"k\":\"a\"}]}");
        JsonNode select = databricks.statements().stream().filter(s -> s.path("statement").asText().startsWith("SELECT `"))
                .findFirst().orElseThrow();
        assertThat(select.path("statement").asText()).isEqualTo("SELECT `updated_at`, `external_id`, `payload` FROM `main`.`braze`.`users_sync`"
                + " WHERE `updated_at` <= ? ORDER BY `updated_at`");
        assertThat(select.path("parameters")).hasSize(1);
        assertThat(select.path("parameters").get(0).path("ordinal").asInt()).isEqualTo(1);
        assertThat(select.path("parameters").get(0).path("type").asText()).isEqualTo("STRING");
        assertThat(select.path("parameters").get(0).path("value").asText()).isEqualTo("2026-06-01T00:00:00.000000Z");
        assertThat(select.path("warehouse_id").asText()).isEqualTo("wh123");
        assertThat(select.path("disposition").asText()).isEqualTo("INLINE");
        assertThat(select.path("format").asText()).isEqualTo("JSON_ARRAY");

        List<SourceRow> since = readAll(source(databricks).build(), T0.plusSeconds(20));
        assertThat(since).extracting(SourceRow::externalId).containsExactly("u2");
        JsonNode second = databricks.statements().stream().filter(s -> s.path("statement").asText().contains(">= ?")).findFirst().orElseThrow();
        assertThat(second.path("statement").asText()).contains("WHERE `updated_at` >= ? AND `updated_at` <= ?");
        assertThat(second.path("parameters")).extracting(p -> p.path("value").asText())
                .containsExactly("2026-01-01T00:00:20.123456Z", "2026-06-01T00:00:00.000000Z");
        // A session per read, and both the statements and the sessions closed with their DELETE calls.
        assertThat(databricks.requests("POST", "/api/2.0/sql/warehouses/wh123/sessions")).hasSize(2);
        assertThat(databricks.requests("DELETE", "/api/2.0/sql/sessions/")).hasSize(2);
        assertThat(databricks.requests("DELETE", "/api/2.0/sql/statements/")).isNotEmpty();
        assertThat(databricks.requests("POST", "/api/2.0/sql/warehouses/wh123/sessions").get(0).body().toString())
                .contains("\"catalog\":\"main\"").contains("\"schema\":\"braze\"");
    }

    @Test
    void structAndMapPayloadsArriveInTheSameShapeAsAStringPayload() {
        databricks.table("main", "braze", "structs").column("updated_at", "TIMESTAMP").column("external_id", "STRING")
                .column("payload", "STRUCT<tier: STRING, points: INT, tags: ARRAY<STRING>>")
                .insert(Map.of("updated_at", T0, "external_id", "s1", "payload", "{\"tier\":\"gold\",\"points\":7,\"tags\":[\"a\"]}"));
        databricks.table("main", "braze", "maps").column("updated_at", "TIMESTAMP_NTZ").column("external_id", "STRING")
                .column("payload", "MAP<STRING, STRING>")
                .insert(Map.of("updated_at", T0, "external_id", "m1", "payload", "{\"tier\":\"silver\"}"));

        List<SourceRow> structs = readAll(source(databricks).table("structs").build(), null);
        List<SourceRow> maps = readAll(source(databricks).table("maps").build(), T0);

        assertThat(structs).singleElement().satisfies(r -> {
            assertThat(r.payload()).isEqualTo("{\"tier\":\"gold\",\"points\":7,\"tags\":[\"a\"]}");
            assertThat(r.updatedAt()).isEqualTo(T0);
        });
        assertThat(maps).singleElement().satisfies(r -> {
            assertThat(r.payload()).isEqualTo("{\"tier\":\"silver\"}");
            assertThat(r.updatedAt()).isEqualTo(T0); // TIMESTAMP_NTZ read as UTC with the JVM in New York
        });
        JsonNode ntzRead = databricks.statements().stream().filter(s -> s.path("statement").asText().contains(">= ?")).findFirst().orElseThrow();
        assertThat(ntzRead.path("parameters").get(0).path("value").asText()).isEqualTo("2026-01-01T00:00:00.123456");
    }

    @Test
    void aRefusedTokenIsAccessDeniedWithoutTheToken() {
        usersTable(databricks, "STRING");
        String wrong = "dapi-wrong-token-0000";

        assertThatThrownBy(() -> source(databricks).token(Secret.of(wrong)).build().check())
                .isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("Databricks refused the personal access token")
                .hasMessageContaining("Invalid access token")
                .satisfies(e -> {
                    StringBuilder all = new StringBuilder();
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        all.append(t).append('\n');
                    }
                    assertThat(all.toString()).doesNotContain(wrong).doesNotContain(FakeDatabricks.TOKEN);
                    assertThat(((CdiException) e).retryable()).isFalse();
                });
        assertThat(databricks.requests("POST", "/api/2.0/sql/statements")).isEmpty();
    }

    @Test
    void checkFindsTheTableAndTellsMissingOnesAndColumns() {
        usersTable(databricks, "STRING");
        source(databricks).build().check();
        assertThat(databricks.statements()).extracting(s -> s.path("statement").asText())
                .anyMatch(sql -> sql.startsWith("SHOW COLUMNS IN CATALOG `main` SCHEMA LIKE 'braze' TABLE LIKE 'users.sync'"))
                .contains("SELECT `updated_at`, `external_id`, `payload` FROM `main`.`braze`.`users_sync` WHERE 1=0");

        assertThatThrownBy(() -> source(databricks).table("missing").build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("table main.braze.missing not found");
        databricks.table("main", "braze", "no_ids").column("updated_at", "TIMESTAMP").column("payload", "STRING");
        assertThatThrownBy(() -> source(databricks).table("no_ids").build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("none of the columns EXTERNAL_ID");
    }

    @Test
    void builderErrorsNameTheSetting() {
        assertThatThrownBy(() -> DatabricksSource.builder().host("h").httpPath("/p").token(Secret.of("t")).catalog("c").schema("s").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("table is required");
        assertThatThrownBy(() -> source(databricks).connectionProperty("PWD", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> source(databricks).warmupRetryInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(source(databricks).build().toString()).contains("main.braze.users_sync").doesNotContain(FakeDatabricks.TOKEN);
    }
}
