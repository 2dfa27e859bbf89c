package io.cdisync.databricks;

import static io.cdisync.databricks.DatabricksSourceTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.DataType;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.store.InMemoryWatermarkStore;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.FakeBraze;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** End to end: FakeDatabricks -> real driver -> DatabricksSource -> SyncRunner -> BrazeClient -> FakeBraze. */
@ExtendWith(CdiTestExtension.class)
class DatabricksSyncTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    final FakeDatabricks databricks = FakeDatabricks.start();
    final InMemoryWatermarkStore store = new InMemoryWatermarkStore();

    @AfterEach
    void close() {
        databricks.close();
    }

    SyncRunner runner(DatabricksSource source, BrazeClient client) {
        return SyncRunner.builder().syncId("databricks-users").dataType(DataType.USER_ATTRIBUTES).source(source).braze(client)
                .watermarkStore(store).clock(NOW).checkpointInterval(Duration.ZERO).build();
    }

    @Test
    void structPayloadsArriveAsAttributesAndTheSecondRunReadsFromTheWatermark(FakeBraze braze, BrazeClient client) {
        FakeDatabricksTable table = DatabricksSourceTest.usersTable(databricks, "STRUCT<n: INT, profile: STRUCT<tier: STRING>>");
        for (int i = 0; i < 120; i++) {
            table.insert(Map.of("updated_at", T0.plusSeconds(i), "external_id", "user-" + i,
                    "payload", "{\"n\":" + i + ",\"profile\":{\"tier\":\"gold\"}}"));
        }
        SyncRunner sync = runner(DatabricksSourceTest.source(databricks).build(), client);

        SyncReport first = sync.run();

        assertThat(first.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(first.rowsDelivered()).isEqualTo(120);
        assertThat(first.watermarkAfter()).isEqualTo(T0.plusSeconds(119));
        ObjectNode user7 = braze.attributes().stream().filter(o -> o.path("external_id").asText().equals("user-7")).findFirst().orElseThrow();
        assertThat(user7.path("n").asInt()).isEqualTo(7);
        assertThat(user7.path("profile").path("tier").asText()).isEqualTo("gold");

        table.insert(Map.of("updated_at", T0.plusSeconds(119), "external_id", "tied-late", "payload", "{\"n\":-1,\"profile\":null}"));
        table.insert(Map.of("updated_at", T0.plusSeconds(300), "external_id", "user-5", "payload", "{\"n\":500,\"profile\":null}"));
        SyncReport second = sync.run();

        JsonNode read = databricks.statements().stream().filter(s -> s.path("statement").asText().contains(">= ?"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(read.path("parameters").get(0).path("value").asText()).isEqualTo("2026-01-01T00:01:59.123456Z"); // the watermark
        assertThat(second.rowsRead()).isEqualTo(3);
        assertThat(second.rowsSkipped()).isEqualTo(1);
        assertThat(second.rowsDelivered()).isEqualTo(2);
        assertThat(braze.attributes()).hasSize(122);
    }
}
