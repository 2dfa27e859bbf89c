package io.cdisync.snowflake;

import static io.cdisync.snowflake.SnowflakeSourceTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
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

/** End to end: FakeSnowflake -> real driver -> SnowflakeSource -> SyncRunner -> BrazeClient -> FakeBraze. */
@ExtendWith(CdiTestExtension.class)
class SnowflakeSyncTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    final FakeSnowflake snowflake = FakeSnowflake.start();
    final InMemoryWatermarkStore store = new InMemoryWatermarkStore();

    @AfterEach
    void close() {
        snowflake.close();
    }

    SyncRunner runner(SnowflakeSource source, BrazeClient client) {
        return SyncRunner.builder().syncId("snowflake-users").dataType(DataType.USER_ATTRIBUTES).source(source).braze(client)
                .watermarkStore(store).clock(NOW).checkpointInterval(Duration.ZERO).build();
    }

    @Test
    void attributesArriveAndTheSecondRunReadsFromTheWatermark(FakeBraze braze, BrazeClient client) {
        FakeSnowflakeTable table = SnowflakeSourceTest.usersTable(snowflake, "TIMESTAMP_NTZ");
        for (int i = 0; i < 120; i++) {
            table.insert(Map.of("UPDATED_AT", T0.plusSeconds(i), "EXTERNAL_ID", "user-" + i,
                    "PAYLOAD", "{\"n\":" + i + ",\"profile\":{\"tier\":\"gold\"}}"));
        }
        SyncRunner sync = runner(SnowflakeSourceTest.source(snowflake).build(), client);

        SyncReport first = sync.run();

        assertThat(first.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(first.rowsDelivered()).isEqualTo(120);
        assertThat(first.watermarkAfter()).isEqualTo(T0.plusSeconds(119));
        ObjectNode user7 = braze.attributes().stream().filter(o -> o.path("external_id").asText().equals("user-7")).findFirst().orElseThrow();
        assertThat(user7.path("n").asInt()).isEqualTo(7);
        assertThat(user7.path("profile").path("tier").asText()).isEqualTo("gold");

        table.insert(Map.of("UPDATED_AT", T0.plusSeconds(119), "EXTERNAL_ID", "tied-late", "PAYLOAD", "{\"late\":true}"));
        table.insert(Map.of("UPDATED_AT", T0.plusSeconds(300), "EXTERNAL_ID", "user-5", "PAYLOAD", "{\"n\":500}"));
        SyncReport second = sync.run();

        FakeSnowflake.Query read = snowflake.selects().stream().filter(q -> q.sql().contains(">= ?")).reduce((a, b) -> b).orElseThrow();
        assertThat(read.bindings().path("1").path("type").asText()).isEqualTo("TIMESTAMP_NTZ");
        assertThat(read.bindings().path("1").path("value").asText()).isEqualTo("1767225719123456789"); // the watermark, T0 + 119 s
        assertThat(second.rowsRead()).isEqualTo(3);
        assertThat(second.rowsSkipped()).isEqualTo(1);
        assertThat(second.rowsDelivered()).isEqualTo(2);
        assertThat(braze.attributes()).hasSize(122);
    }

    @Test
    void aRefusedLoginEndsTheRunWithAccessDeniedAndNothingSent(FakeBraze braze, BrazeClient client) {
        SnowflakeSourceTest.usersTable(snowflake, "TIMESTAMP_NTZ").insert(Map.of("UPDATED_AT", T0, "EXTERNAL_ID", "u1", "PAYLOAD", "{}"));
        snowflake.user("CDI_USER", SnowflakeKeys.generate().publicKeyBase64()); // the key was replaced without telling cdi

        SyncReport report = runner(SnowflakeSourceTest.source(snowflake).build(), client).run();

        assertThat(report.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(report.failure()).isInstanceOf(CdiException.AccessDenied.class).hasMessageContaining("ALTER USER");
        assertThat(store.load("snowflake-users")).isEmpty();
        assertThat(braze.requests()).isEmpty();
    }
}
