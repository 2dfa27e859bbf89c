package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.RateLimit;
import io.cdisync.core.CdiException;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seeded schedules of Braze and source faults: the sync completes, or fails cleanly with the right
 * class and completes on the rerun; nothing is lost; retries stay bounded; 429s are never failures.
 */
@ExtendWith(NoSecretsInLogs.class)
class FaultScheduleTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final int ROWS = 6_000;

    static FakeWarehouse table() {
        FakeWarehouse warehouse = new FakeWarehouse();
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < ROWS; i++) {
            users.insert(FakeTable.attributes(T0.plusMillis(i * 10L), "user-" + (i % 900), "{\"i\":" + i + "}"));
        }
        return warehouse;
    }

    static Set<Integer> received(FakeBraze braze) {
        Set<Integer> seen = new HashSet<>();
        for (ObjectNode object : braze.attributes()) {
            seen.add(object.path("i").asInt());
        }
        return seen;
    }

    @Test
    void randomServerErrorsDropsSlowAnswersAndRateLimits() throws Exception {
        Seeds.withSeed("FaultScheduleTest", this::randomFaults);
    }

    private void randomFaults(long seed) throws Exception {
        // Braze allows 80 requests per 2 s window (40/s); the client believes 80/s, so Braze's 429s and headers pace it.
        try (FakeBraze braze = FakeBraze.builder().trackRateLimit(80, Duration.ofSeconds(2)).start();
                BrazeClient client = BrazeTestClients.builderFor(braze).trackRateLimit(RateLimit.of(80, Duration.ofSeconds(1)))
                        .callTimeout(Duration.ofMillis(400)).maxAttempts(12).build()) {
            FakeWarehouse warehouse = table();
            // The client paces itself by Braze's headers and may never see a 429 on its own. Another user of the
            // workspace's key uses up the current window first, so the sync's first requests meet an exhausted budget.
            int neighbourRequests = Neighbour.useUpAFreshWindow(braze, Duration.ofSeconds(2));
            int neighbour429s = 1;
            braze.randomFaults(seed, 0.10, 0.02, 0.01, Duration.ofMillis(900));

            SyncReport report = SyncRunner.builder().syncId("faults").source(warehouse.connector("users")).braze(client)
                    .watermarkStore(new InMemoryWatermarkStore()).concurrency(8).build().run();

            assertThat(report.status()).as(report.summary()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(received(braze)).hasSize(ROWS);
            List<RecordedBrazeRequest> track = braze.requests("/users/track");
            long serverErrors = track.stream().filter(r -> r.status() >= 500).count();
            long dropped = track.stream().filter(RecordedBrazeRequest::dropped).count();
            long injected = serverErrors + dropped;
            long clients429s = braze.rateLimitedCount() - neighbour429s;
            // The neighbour's window is on the wall clock and opened at least 20 ms before its first request; it
            // lasts 2 s. A first sync request well inside it met the exhausted budget; only a stalled machine starts
            // the sync so late that the window is over.
            long windowOpenedNoEarlierThan = track.get(0).receivedAt().toEpochMilli();
            Instant firstSyncRequest = track.get(neighbourRequests).receivedAt();
            System.out.printf("FaultScheduleTest: %d sync requests, %d 5xx, %d dropped, %d 429s to the client, first sync"
                    + " request %d ms after the window opened, %d ms after the neighbour's last%n",
                    track.size() - neighbourRequests, serverErrors, dropped, clients429s,
                    firstSyncRequest.toEpochMilli() - windowOpenedNoEarlierThan,
                    firstSyncRequest.toEpochMilli() - track.get(neighbourRequests - 1).receivedAt().toEpochMilli());
            if (firstSyncRequest.toEpochMilli() < windowOpenedNoEarlierThan + 2_000 - 20 - 100) {
                assertThat(clients429s).as("Braze rate-limited the client (its first request at %s)", firstSyncRequest).isPositive();
            }
            assertThat(report.rateLimitedWaits()).isEqualTo(clients429s);
            assertThat(client.stats().failures()).as("429s and retried faults are not failures").isZero();
            // Every retry answers a fault: a 5xx, a drop, or a slow answer that hit the client's timeout. Any of
            // them may be absent for a given seed; none is required here (ROWS / 75 requests rarely see none).
            long slow = client.stats().retries() - injected;
            assertThat(slow).isBetween(0L, (long) (0.05 * client.stats().requests()) + 3);
            // A slow answer may still be processed after the client gave up: duplicates stay within those requests.
            assertThat(braze.attributes().size() - ROWS).isLessThanOrEqualTo((int) slow * 75);
        }
    }

    @Test
    void aThirtySecondOutageIsRiddenOutWithBackoff() {
        try (FakeBraze braze = FakeBraze.start();
                BrazeClient client = BrazeTestClients.builderFor(braze).initialBackoff(Duration.ofMillis(100))
                        .maxBackoff(Duration.ofSeconds(8)).maxAttempts(20).build()) {
            FakeWarehouse warehouse = table();
            AtomicBoolean started = new AtomicBoolean();
            long begin = System.nanoTime();
            SyncReport report = SyncRunner.builder().syncId("outage").source(warehouse.connector("users")).braze(client)
                    .watermarkStore(new InMemoryWatermarkStore()).concurrency(4).checkpointInterval(Duration.ZERO)
                    .listener(new SyncListener() {
                        @Override
                        public void onCheckpoint(String syncId, Instant watermark) {
                            if (started.compareAndSet(false, true)) {
                                braze.outage(Duration.ofSeconds(30));
                            }
                        }
                    }).build().run();
            double seconds = (System.nanoTime() - begin) / 1e9;

            assertThat(report.status()).as(report.summary()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(seconds).isGreaterThanOrEqualTo(29.0);
            assertThat(received(braze)).hasSize(ROWS);
            assertThat(braze.requests("/users/track").stream().filter(r -> r.status() == 503).count()).isPositive();
            // Backoff, not a hammering: a few dozen attempts per lane at most over the outage.
            assertThat(client.stats().retries()).isLessThan(4 * 20);
        }
    }

    @Test
    void anOutageLongerThanTheRetriesFailsCleanlyAndTheRerunDeliversEverything() {
        try (FakeBraze braze = FakeBraze.start();
                BrazeClient client = BrazeTestClients.builderFor(braze).maxAttempts(4).build()) {
            FakeWarehouse warehouse = table();
            InMemoryWatermarkStore store = new InMemoryWatermarkStore();
            AtomicBoolean started = new AtomicBoolean();
            SyncRunner runner = SyncRunner.builder().syncId("outage").source(warehouse.connector("users")).braze(client)
                    .watermarkStore(store).concurrency(4).checkpointInterval(Duration.ZERO).listener(new SyncListener() {
                        @Override
                        public void onCheckpoint(String syncId, Instant watermark) {
                            if (started.compareAndSet(false, true)) {
                                braze.outage(Duration.ofSeconds(3));
                            }
                        }
                    }).build();

            SyncReport failed = runner.run();
            assertThat(failed.status()).isEqualTo(SyncStatus.ERROR);
            assertThat(failed.failure()).isInstanceOf(CdiException.BrazeFailure.class);
            assertThat(failed.failure().retryable()).isTrue();
            assertThat(((CdiException.BrazeFailure) failed.failure()).statusCode()).isEqualTo(503);
            Instant stoppedAt = failed.watermarkAfter();
            assertThat(stoppedAt).isNotNull();
            // Every row at or below the saved watermark really reached Braze.
            Set<Integer> before = received(braze);
            long upTo = (stoppedAt.toEpochMilli() - T0.toEpochMilli()) / 10;
            for (int i = 0; i <= upTo; i++) {
                assertThat(before).as("row " + i).contains(i);
            }

            braze.outage(Duration.ZERO);
            SyncReport rerun = runner.run();
            assertThat(rerun.status()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(received(braze)).hasSize(ROWS);
        }
    }

    @Test
    void aSourceQueryTimeoutFailsCleanlyAsRetryable() {
        try (FakeBraze braze = FakeBraze.start(); BrazeClient client = BrazeTestClients.clientFor(braze)) {
            FakeWarehouse warehouse = table();
            warehouse.table("users").failNextRead(new CdiException.ConnectionFailed("query timed out after 300 s", null));
            InMemoryWatermarkStore store = new InMemoryWatermarkStore();
            SyncRunner runner = SyncRunner.builder().syncId("timeout").source(warehouse.connector("users")).braze(client)
                    .watermarkStore(store).build();

            SyncReport failed = runner.run();
            assertThat(failed.status()).isEqualTo(SyncStatus.ERROR);
            assertThat(failed.failure().retryable()).isTrue();
            assertThat(failed.failure()).hasMessageContaining("query timed out");
            assertThat(store.load("timeout")).isEmpty();

            assertThat(runner.run().status()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(received(braze)).hasSize(ROWS);
        }
    }
}
