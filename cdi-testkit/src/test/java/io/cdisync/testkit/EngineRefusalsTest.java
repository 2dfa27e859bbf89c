package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Objects Braze refuses become row errors with Braze's reason and the sync moves on (issue 13), end to end
 * against FakeBraze; checks what the fake stored and where the watermark went.
 */
@ExtendWith(CdiTestExtension.class)
@ExtendWith(NoSecretsInLogs.class)
class EngineRefusalsTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
    static final String BLOCKED = "provided external_id is blacklisted and disallowed";

    final InMemoryWatermarkStore store = new InMemoryWatermarkStore();
    int second;

    SyncRunner.Builder runner(FakeWarehouse warehouse, BrazeClient client, DataType type) {
        return SyncRunner.builder().syncId("sync").dataType(type).source(warehouse.connector("t")).braze(client)
                .watermarkStore(store).clock(NOW);
    }

    SourceRow.Builder at() {
        return SourceRow.builder().updatedAt(T0.plusSeconds(second++));
    }

    /**
     * A small incremental run whose every object Braze refuses (Braze answers 400 when no object of a request is
     * valid): row errors naming Braze's reason, the watermark passes them, and the next run delivers new rows.
     */
    @Test
    void aRequestWithNoValidObjectGivesRowErrorsAndTheSyncMovesOn(FakeWarehouse warehouse, FakeBraze braze,
            BrazeClient client) {
        braze.rejectObjects(o -> o.path("external_id").asText().startsWith("spam-"), BLOCKED);
        FakeTable table = warehouse.createTable("t");
        String first = table.insert(at().externalId("spam-1").payload("{\"a\":1}").build()).rowKey();
        String second = table.insert(at().externalId("spam-2").payload("{\"a\":2}").build()).rowKey();

        SyncReport report = runner(warehouse, client, DataType.USER_ATTRIBUTES).concurrency(1).build().run();

        assertThat(report.status()).as("%s", report.failure()).isEqualTo(SyncStatus.PARTIAL_SUCCESS);
        assertThat(report.rowErrors()).extracting(RowError::rowKey).containsExactlyInAnyOrder(first, second);
        assertThat(report.rowErrors()).allSatisfy(error -> {
            assertThat(error.kind()).isEqualTo(RowError.Kind.REJECTED_BY_BRAZE);
            assertThat(error.reason()).contains(BLOCKED);
        });
        assertThat(report.rowsDelivered()).isZero();
        assertThat(report.watermarkAfter()).isEqualTo(T0.plusSeconds(1));
        assertThat(braze.attributes()).isEmpty();

        table.insert(at().externalId("user-1").payload("{\"a\":3}").build());
        table.insert(at().externalId("spam-3").payload("{\"a\":4}").build());
        table.insert(at().externalId("user-2").payload("{\"a\":5}").build());
        SyncReport next = runner(warehouse, client, DataType.USER_ATTRIBUTES).concurrency(1).build().run();

        assertThat(next.rowsDelivered()).isEqualTo(2);
        assertThat(next.rowErrors()).singleElement().satisfies(e -> assertThat(e.reason()).contains(BLOCKED));
        assertThat(next.watermarkAfter()).isEqualTo(T0.plusSeconds(4));
        assertThat(braze.attributes()).extracting(a -> a.path("external_id").asText())
                .containsExactlyInAnyOrder("user-1", "user-2");
    }
}
