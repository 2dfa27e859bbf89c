package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Generated tables (rows made on the fly) and a counting FakeBraze: the pieces of constant-memory runs. */
class GeneratedTableTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aGeneratedTableStreamsItsRowsInOrderAndReadsFromAWatermarkByBinarySearch() {
        FakeWarehouse warehouse = new FakeWarehouse();
        FakeGeneratedTable table = warehouse.generatedTable("gen", 1_000,
                i -> FakeTable.attributes(T0.plusSeconds(i / 2), "u-" + i, "{\"i\":" + i + "}"));
        assertThat(table.size()).isEqualTo(1_000);
        assertThat(table.row(7).externalId()).isEqualTo("u-7");

        FakeSourceConnector connector = warehouse.connector("gen");
        try (RowStream stream = connector.read(new ReadRequest(T0.plusSeconds(100), T0.plusSeconds(10_000), 64))) {
            RowBatch first = stream.nextBatch();
            assertThat(first.size()).isEqualTo(64);
            assertThat(first.rows().get(0).externalId()).isEqualTo("u-200"); // first row at 100 s: 200 and 201
            long rows = first.size();
            RowBatch batch;
            while ((batch = stream.nextBatch()) != null) {
                rows += batch.size();
            }
            assertThat(rows).isEqualTo(800);
        }
        assertThat(connector.openStreams()).isZero();
        assertThatThrownBy(() -> warehouse.createTable("gen")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLargeGeneratedSyncToACountingFakeDeliversEveryRow() {
        FakeWarehouse warehouse = new FakeWarehouse();
        warehouse.generatedTable("users", 30_000, i -> FakeTable.attributes(T0.plusMillis(i), "user-" + (i % 7_000),
                "{\"n\":" + i + ",\"address\":{\"city\":\"Paris\"}}"));
        try (FakeBraze braze = FakeBraze.builder().countOnly().start();
                BrazeClient client = BrazeTestClients.clientFor(braze)) {
            SyncReport report = SyncRunner.builder().syncId("gen").source(warehouse.connector("users")).braze(client)
                    .watermarkStore(new InMemoryWatermarkStore()).build().run();

            assertThat(report.status()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(report.rowsDelivered()).isEqualTo(30_000);
            assertThat(braze.trackObjectsAccepted()).isEqualTo(30_000);
            // Full requests whatever the concurrency (256 by default): about 400 of 75 (a few partial ones at
            // the end, as lanes drain), not one per lane.
            assertThat(braze.requestCount("/users/track")).isBetween(400, 450);
            assertThatThrownBy(braze::attributes).isInstanceOf(IllegalStateException.class).hasMessageContaining("countOnly");
            assertThatThrownBy(braze::requests).isInstanceOf(IllegalStateException.class);
        }
    }
}
