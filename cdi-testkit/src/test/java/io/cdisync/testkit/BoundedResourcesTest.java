package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A run ends within its deadline whatever Braze does, and runs release their threads and connections. */
@ExtendWith(NoSecretsInLogs.class)
class BoundedResourcesTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aSyncAgainstABrazeThatNeverAnswersEndsWithinItsRunTimeout() {
        try (FakeBraze braze = FakeBraze.start();
                BrazeClient client = BrazeTestClients.builderFor(braze).callTimeout(Duration.ofMinutes(5)).build()) {
            braze.delayNext(1_000, Duration.ofMinutes(10)); // never answers in time
            FakeWarehouse warehouse = new FakeWarehouse();
            FakeTable users = warehouse.createTable("users");
            for (int i = 0; i < 1_000; i++) {
                users.insert(FakeTable.attributes(T0.plusSeconds(i), "user-" + i, "{}"));
            }
            InMemoryWatermarkStore store = new InMemoryWatermarkStore();
            long start = System.nanoTime();
            SyncReport report = SyncRunner.builder().syncId("stuck").source(warehouse.connector("users")).braze(client)
                    .watermarkStore(store).runTimeout(Duration.ofSeconds(2)).build().run();
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(report.status()).isEqualTo(SyncStatus.ERROR);
            assertThat(report.failure()).isInstanceOf(CdiException.TimedOut.class).hasMessageContaining("run timeout");
            assertThat(seconds).isBetween(1.9, 10.0);
            assertThat(store.load("stuck")).isEmpty();
            assertThat(warehouse.connector("users").openStreams()).isZero();
        }
    }

    @Test
    void threadsAndConnectionsAreReleasedAfterAHundredRuns() throws Exception {
        try (FakeBraze braze = FakeBraze.start()) {
            FakeWarehouse warehouse = new FakeWarehouse();
            FakeTable users = warehouse.createTable("users");
            FakeSourceConnector source = warehouse.connector("users");
            InMemoryWatermarkStore store = new InMemoryWatermarkStore();
            // Warm up once so lazily started JVM and server threads exist before counting.
            runOnce(braze, source, store, users, 0);
            Thread.sleep(200);
            int before = liveNonDaemonAndClientThreads();
            for (int run = 1; run <= 100; run++) {
                runOnce(braze, source, store, users, run);
            }
            Thread.sleep(500);
            int after = liveNonDaemonAndClientThreads();
            assertThat(after).as("client threads left running after 100 runs").isLessThanOrEqualTo(before + 2);
            assertThat(source.openStreams()).isZero();
            assertThat(braze.attributes()).hasSize(101 * 20);
        }
    }

    private static void runOnce(FakeBraze braze, FakeSourceConnector source, InMemoryWatermarkStore store, FakeTable users,
            int run) {
        for (int i = 0; i < 20; i++) {
            users.insert(FakeTable.attributes(T0.plusSeconds(run * 100L + i), "user-" + run + "-" + i, "{}"));
        }
        try (BrazeClient client = BrazeTestClients.clientFor(braze)) {
            SyncReport report = SyncRunner.builder().syncId("many").source(source).braze(client).watermarkStore(store)
                    .build().run();
            assertThat(report.rowsDelivered()).isEqualTo(20);
        }
    }

    private static int liveNonDaemonAndClientThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (!t.isDaemon() || t.getName().startsWith("braze-client") || t.getName().startsWith("OkHttp")))
                .count();
    }
}
