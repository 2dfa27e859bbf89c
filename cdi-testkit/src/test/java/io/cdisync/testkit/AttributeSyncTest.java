package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.TableWatermark;
import io.cdisync.core.store.FileWatermarkStore;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** User attributes end to end: fake warehouse -> SyncRunner -> BrazeClient -> fake Braze (a real HTTP server). */
@ExtendWith(CdiTestExtension.class)
@ExtendWith(NoSecretsInLogs.class)
class AttributeSyncTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    final InMemoryWatermarkStore store = new InMemoryWatermarkStore();

    SyncRunner.Builder runner(FakeWarehouse warehouse, BrazeClient client) {
        return SyncRunner.builder().syncId("users").source(warehouse.connector("users")).braze(client)
                .watermarkStore(store).clock(NOW).checkpointInterval(Duration.ZERO);
    }

    static SourceRow row(int second, String user, String payload) {
        return FakeTable.attributes(T0.plusSeconds(second), user, payload);
    }

    static Set<String> externalIds(List<ObjectNode> objects) {
        return objects.stream().map(o -> o.path("external_id").asText()).collect(Collectors.toSet());
    }

    @Test
    void deliversEveryRowWithItsIdentifierAndNestedPayloadUntouched(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < 500; i++) {
            users.insert(row(i, "user-" + i, "{\"n\":" + i + ",\"profile\":{\"tier\":\"gold\",\"tags\":[{\"k\":\"a\"}]}}"));
        }
        SyncReport report = runner(warehouse, client).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(report.rowsRead()).isEqualTo(500);
        assertThat(report.rowsDelivered()).isEqualTo(500);
        assertThat(report.watermarkBefore()).isNull();
        assertThat(report.watermarkAfter()).isEqualTo(T0.plusSeconds(499));
        assertThat(braze.attributes()).hasSize(500);
        ObjectNode first = braze.attributes().stream().filter(o -> o.path("external_id").asText().equals("user-7")).findFirst().orElseThrow();
        assertThat(first.path("n").asInt()).isEqualTo(7);
        assertThat(first.path("profile").path("tags").get(0).path("k").asText()).isEqualTo("a");
        assertThat(braze.requests()).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        assertThat(braze.requestCount("/users/track")).isBetween(7, 20);
        assertThat(((TableWatermark) store.load("users").orElseThrow().watermark()).updatedAt()).isEqualTo(T0.plusSeconds(499));

        SyncReport again = runner(warehouse, client).build().run();
        assertThat(again.rowsDelivered()).isZero();
        assertThat(again.rowsSkipped()).isEqualTo(1);
        assertThat(braze.attributes()).hasSize(500);
    }

    @Test
    void equalTimestampRowsAddedAfterASyncArePickedUpAndDeliveredOnesAreNotResent(FakeWarehouse warehouse, FakeBraze braze,
            BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        users.insert(row(10, "a", "{\"v\":1}"));
        users.insert(row(10, "b", "{\"v\":1}"));
        assertThat(runner(warehouse, client).build().run().rowsDelivered()).isEqualTo(2);

        users.insert(row(10, "c", "{\"v\":1}"));
        users.insert(row(10, "d", "{\"v\":1}"));
        SyncReport second = runner(warehouse, client).build().run();

        assertThat(second.rowsDelivered()).isEqualTo(2);
        assertThat(second.rowsSkipped()).isEqualTo(2);
        assertThat(braze.attributes()).extracting(o -> o.path("external_id").asText()).containsExactlyInAnyOrder("a", "b", "c", "d");
    }

    @Test
    void lateRowsInsideTheLookbackArePickedUpWithoutResendingDeliveredOnes(FakeWarehouse warehouse, FakeBraze braze,
            BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < 100; i++) {
            users.insert(row(i * 10, "u" + i, "{\"v\":" + i + "}"));
        }
        SyncRunner sync = runner(warehouse, client).lookback(Duration.ofMinutes(5)).build();
        assertThat(sync.run().rowsDelivered()).isEqualTo(100);

        // Committed late: UPDATED_AT 60 s and 250 s below the watermark (990 s), inside the 5 min lookback.
        users.insert(row(930, "late-1", "{\"late\":true}"));
        users.insert(row(740, "late-2", "{\"late\":true}"));
        // Too late: 400 s below the watermark, outside the window.
        users.insert(row(590, "too-late", "{\"late\":true}"));
        SyncReport second = sync.run();

        assertThat(second.rowsDelivered()).isEqualTo(2);
        assertThat(second.rowsSkipped()).isEqualTo(31); // the already delivered rows of the window 690..990
        assertThat(braze.attributes()).hasSize(102);
        assertThat(externalIds(braze.attributes())).contains("late-1", "late-2").doesNotContain("too-late");
        assertThat(second.watermarkAfter()).isEqualTo(T0.plusSeconds(990));

        SyncReport third = sync.run();
        assertThat(third.rowsDelivered()).isZero();
        assertThat(braze.attributes()).hasSize(102);
    }

    @Test
    void anUpdatedRowWithANewPayloadAtTheSameTimestampIsSentAgain(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        SourceRow stored = users.insert(row(5, "a", "{\"v\":1}"));
        runner(warehouse, client).build().run();
        users.insert(stored.toBuilder().payload("{\"v\":2}").build());

        SyncReport second = runner(warehouse, client).build().run();

        assertThat(second.rowsDelivered()).isEqualTo(1);
        assertThat(braze.attributes()).extracting(o -> o.path("v").asInt()).containsExactly(1, 2);
    }

    @Test
    void rowsFromTheFutureAreHeldBackAndNeverMoveTheWatermarkPastNow(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        Instant now = NOW.instant();
        users.insert(FakeTable.attributes(now.minusSeconds(120), "past", "{}"));
        users.insert(FakeTable.attributes(now.minusSeconds(30), "settling", "{}"));
        users.insert(FakeTable.attributes(now.plus(Duration.ofDays(3650)), "future", "{}"));

        SyncReport report = runner(warehouse, client).settleDelay(Duration.ofMinutes(1)).build().run();

        assertThat(externalIds(braze.attributes())).containsExactly("past");
        assertThat(report.rowsHeldBack()).isEqualTo(2);
        assertThat(report.watermarkAfter()).isEqualTo(now.minusSeconds(120));
        assertThat(report.watermarkAfter()).isBefore(now);

        Clock later = Clock.offset(NOW, Duration.ofMinutes(5));
        SyncReport next = runner(warehouse, client).clock(later).settleDelay(Duration.ofMinutes(1)).build().run();
        assertThat(next.rowsDelivered()).isEqualTo(1);
        assertThat(externalIds(braze.attributes())).containsExactlyInAnyOrder("past", "settling");
        assertThat(next.watermarkAfter()).isEqualTo(now.minusSeconds(30));
    }

    @Test
    void oneUsersRowsArriveInUpdatedAtOrderWithConcurrency(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        int second = 0;
        for (int version = 0; version < 40; version++) {
            for (int user = 0; user < 30; user++) {
                users.insert(row(second++, "user-" + user, "{\"version\":" + version + "}"));
            }
        }
        braze.delayNext(20, Duration.ofMillis(150)); // early requests overtaken by later ones if ordering were not kept
        SyncReport report = runner(warehouse, client).concurrency(16).build().run();

        assertThat(report.rowsDelivered()).isEqualTo(1200);
        Map<String, List<Integer>> versions = new HashMap<>();
        for (ObjectNode object : braze.attributes()) {
            versions.computeIfAbsent(object.path("external_id").asText(), k -> new ArrayList<>()).add(object.path("version").asInt());
        }
        assertThat(versions).hasSize(30);
        versions.forEach((user, seen) -> assertThat(seen).as(user).isSorted().hasSize(40));
    }

    @Test
    void rateLimitsServerErrorsAndDroppedConnectionsAreRetriedAndEveryRowArrives(FakeWarehouse warehouse, FakeBraze braze)
            throws Exception {
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < 3000; i++) {
            users.insert(row(i, "user-" + i, "{\"i\":" + i + "}"));
        }
        braze.trackRateLimit(30, Duration.ofSeconds(2));
        try (BrazeClient client = BrazeTestClients.builderFor(braze).build()) {
            // Another user of the key has just used up the window: the sync's first requests are answered 429.
            Neighbour.useUpAFreshWindow(braze, Duration.ofSeconds(2));
            int neighbours429 = braze.rateLimitedCount();
            braze.failNext(3, 503);
            braze.failNext(2, 500);
            braze.dropNext(2);
            SyncReport report = runner(warehouse, client).concurrency(8).build().run();

            assertThat(report.status()).isEqualTo(SyncStatus.SUCCESS);
            assertThat(report.rowsDelivered()).isEqualTo(3000);
            assertThat(braze.rateLimitedCount() - neighbours429).as("429s answered to the sync").isPositive();
            assertThat(report.rateLimitedWaits()).isEqualTo(braze.rateLimitedCount() - neighbours429);
            assertThat(externalIds(braze.attributes())).hasSize(3000);
            assertThat(client.stats().retries()).isGreaterThanOrEqualTo(7);
        }
    }

    @Test
    void aRejectedApiKeyEndsTheSyncAsAGlobalErrorWithTheWatermarkUnmoved(FakeWarehouse warehouse, FakeBraze braze) {
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < 300; i++) {
            users.insert(row(i, "user-" + i, "{}"));
        }
        List<CdiException> globalErrors = new ArrayList<>();
        try (BrazeClient wrongKey = BrazeTestClients.builderFor(braze).apiKey(io.cdisync.braze.Secret.of("wrong-key-123")).build()) {
            SyncReport report = runner(warehouse, wrongKey).listener(new SyncListener() {
                @Override
                public void onGlobalError(String syncId, CdiException failure) {
                    globalErrors.add(failure);
                }
            }).build().run();

            assertThat(report.status()).isEqualTo(SyncStatus.ERROR);
            assertThat(report.failure()).isInstanceOf(CdiException.BrazeFailure.class);
            assertThat(((CdiException.BrazeFailure) report.failure()).statusCode()).isEqualTo(401);
            assertThat(report.failure().retryable()).isFalse();
            assertThat(report.failure().getMessage()).doesNotContain("wrong-key-123");
            assertThat(report.watermarkAfter()).isNull();
            assertThat(store.load("users")).isEmpty();
            assertThat(globalErrors).hasSize(1);
            assertThat(braze.attributes()).isEmpty();
        }
    }

    @Test
    void badRowsAreReportedWithKeyAndReasonWhileTheRestOfTheBatchIsDelivered(FakeWarehouse warehouse, FakeBraze braze,
            BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        Map<String, String> expected = new HashMap<>();
        int t = 0;
        users.insert(row(t++, "good-0", "{\"ok\":true}"));
        expected.put(users.insert(row(t++, "bad-json", "{\"ok\":")).rowKey(), "not valid JSON");
        users.insert(row(t++, "good-1", "{\"ok\":true}"));
        expected.put(users.insert(row(t++, "bad-array", "[1,2]")).rowKey(), "JSON array, not an object");
        expected.put(users.insert(SourceRow.builder().updatedAt(T0.plusSeconds(t++)).payload("{}").build()).rowKey(),
                "no identifier");
        expected.put(users.insert(SourceRow.builder().updatedAt(T0.plusSeconds(t++)).externalId("x").brazeId("y")
                .payload("{}").build()).rowKey(), "several identifiers (EXTERNAL_ID, BRAZE_ID)");
        expected.put(users.insert(SourceRow.builder().updatedAt(T0.plusSeconds(t++)).aliasName("n")
                .payload("{}").build()).rowKey(), "ALIAS_LABEL is missing");
        expected.put(users.insert(row(t++, "too-big", "{\"blob\":\"" + "x".repeat(1_048_600) + "\"}")).rowKey(),
                "bytes; Braze accepts at most 1048576");
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 251; i++) {
            many.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":").append(i);
        }
        expected.put(users.insert(row(t++, "too-many", many.append('}').toString())).rowKey(), "251 attributes");
        expected.put(users.insert(row(t++, "id-in-payload", "{\"external_id\":\"other\"}")).rowKey(),
                "identifier key 'external_id'");
        expected.put(users.insert(row(t++, "braze-says-no", "{\"refuse\":true}")).rowKey(), "rejected by Braze");
        users.insert(row(t++, "good-2", "{\"ok\":true}"));
        users.insert(SourceRow.builder().updatedAt(T0.plusSeconds(t++)).email("a@example.com").phone("+15550100")
                .payload("{\"ok\":true}").build());
        braze.rejectObjects(o -> o.has("refuse"), "invalid attribute");

        SyncReport report = runner(warehouse, client).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.PARTIAL_SUCCESS);
        assertThat(report.rowsFailed()).isEqualTo(expected.size());
        assertThat(report.rowsDelivered()).isEqualTo(4);
        Map<String, String> reasons = report.rowErrors().stream().collect(Collectors.toMap(RowError::rowKey, RowError::reason));
        expected.forEach((key, reason) -> assertThat(reasons.get(key)).as(key).contains(reason));
        assertThat(externalIds(braze.attributes())).contains("good-0", "good-1", "good-2");
        assertThat(braze.attributes()).anySatisfy(o -> {
            assertThat(o.path("email").asText()).isEqualTo("a@example.com");
            assertThat(o.has("phone")).isFalse();
        });
        // The failed rows are done: the watermark passed them and the next run does not report them again.
        assertThat(report.watermarkAfter()).isEqualTo(T0.plusSeconds(t - 1));
        assertThat(runner(warehouse, client).build().run().rowsFailed()).isZero();
    }

    @Test
    void aSourceLostMidStreamEndsTheRunAndTheRerunDeliversTheRest(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < 2000; i++) {
            users.insert(row(i, "user-" + i, "{}"));
        }
        users.failReadAfter(1200, new CdiException.ConnectionFailed("connection reset by warehouse", null));

        SyncReport failed = runner(warehouse, client).fetchSize(100).build().run();

        assertThat(failed.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(failed.failure()).isInstanceOf(CdiException.ConnectionFailed.class);
        assertThat(failed.rowsRead()).isEqualTo(1200);
        assertThat(failed.watermarkAfter()).isEqualTo(T0.plusSeconds(1199)); // everything read was delivered before stopping
        assertThat(warehouse.connector("users").openStreams()).isZero();

        SyncReport rerun = runner(warehouse, client).fetchSize(100).build().run();
        assertThat(rerun.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(externalIds(braze.attributes())).hasSize(2000);
        assertThat(braze.attributes()).hasSize(2000);
    }

    @Test
    void aCrashAfterSomeBatchesThenARerunDeliversEveryRow(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client,
            @TempDir Path dir) {
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < 5000; i++) {
            users.insert(row(i / 3, "user-" + (i % 700), "{\"i\":" + i + "}"));
        }
        FileWatermarkStore files = new FileWatermarkStore(dir);
        // The process "dies" at its 4th checkpoint: nothing after it is persisted, and the run stops there.
        DyingWatermarkStore dying = DyingWatermarkStore.dyingAfter(3, files);
        SyncReport crashed = SyncRunner.builder().syncId("users").source(warehouse.connector("users")).braze(client)
                .watermarkStore(dying).clock(NOW).checkpointInterval(Duration.ZERO).fetchSize(200).build().run();
        assertThat(crashed.status()).isEqualTo(SyncStatus.ERROR);
        int deliveredBeforeCrash = braze.attributes().size();
        // How much of the table was in flight when the 4th checkpoint failed depends on timing (with 128 requests in
        // flight it can be all of it); what holds every time: something was delivered, and exactly three checkpoints
        // are durable, so the rerun starts from the third one, not from the end.
        assertThat(deliveredBeforeCrash).isPositive();
        assertThat(files.load("users").orElseThrow().version()).isEqualTo(3);

        SyncReport rerun = SyncRunner.builder().syncId("users").source(warehouse.connector("users")).braze(client)
                .watermarkStore(files).clock(NOW).build().run();

        assertThat(rerun.status()).isEqualTo(SyncStatus.SUCCESS);
        Set<Integer> received = new HashSet<>();
        braze.attributes().forEach(o -> received.add(o.path("i").asInt()));
        assertThat(received).hasSize(5000);
        // Sent twice at most: what the crashed run delivered past its last durable checkpoint.
        assertThat(braze.attributes().size() - 5000).isLessThanOrEqualTo(deliveredBeforeCrash);
        assertThat(files.load("users").orElseThrow().version()).isGreaterThan(3);
    }

    @Test
    void aRowCapStopsTheRunAndTheNextRunContinuesWithoutDuplicates(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < 1000; i++) {
            users.insert(row(i / 4, "user-" + i, "{}")); // ties across the cap boundary
        }
        SyncRunner capped = runner(warehouse, client).maxRowsPerRun(301).build();
        List<SyncStatus> statuses = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
            statuses.add(capped.run().status());
        }
        assertThat(statuses).containsExactly(SyncStatus.LIMIT_EXCEEDED, SyncStatus.LIMIT_EXCEEDED, SyncStatus.LIMIT_EXCEEDED,
                SyncStatus.SUCCESS, SyncStatus.SUCCESS);
        assertThat(braze.attributes()).hasSize(1000);
        assertThat(externalIds(braze.attributes())).hasSize(1000);
    }

    @Test
    void aDryRunSendsNothingAndMovesNoWatermark(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < 200; i++) {
            users.insert(row(i, "user-" + i, i == 50 ? "not json" : "{}"));
        }
        SyncReport report = runner(warehouse, client).build().dryRun();

        assertThat(report.dryRun()).isTrue();
        assertThat(report.rowsDelivered()).isEqualTo(199);
        assertThat(report.rowsFailed()).isEqualTo(1);
        assertThat(report.requests()).isZero();
        assertThat(braze.requests()).isEmpty();
        assertThat(store.load("users")).isEmpty();
    }

    @Test
    void twoRunnersCannotBothAdvanceOneSync(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < 3000; i++) {
            users.insert(row(i, "user-" + i, "{}"));
        }
        AtomicInteger checkpoints = new AtomicInteger();
        SyncRunner other = runner(warehouse, client).maxRowsPerRun(10).build();
        SyncReport report = runner(warehouse, client).concurrency(2).listener(new SyncListener() {
            @Override
            public void onCheckpoint(String syncId, Instant watermark) {
                if (checkpoints.incrementAndGet() == 1) {
                    other.run(); // a second runner advances the same sync meanwhile
                }
            }
        }).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(report.failure()).isInstanceOf(CdiException.ConcurrentRun.class);
    }

    @Test
    void theApiKeyNeverAppearsInLogs(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) throws Exception {
        FakeTable users = warehouse.createTable("users");
        for (int i = 0; i < 200; i++) {
            users.insert(row(i, "user-" + i, "{}"));
        }
        braze.failNext(2, 503);
        braze.dropNext(1);
        runner(warehouse, client).build().run();
        try (BrazeClient wrong = BrazeTestClients.builderFor(braze).apiKey(io.cdisync.braze.Secret.of("another-secret-key")).build()) {
            runner(warehouse, wrong).syncId("users-2").build().run();
        }
        String logs = java.nio.file.Files.readString(Path.of("target/test-logs.txt"));
        assertThat(logs).contains("sync users");
        assertThat(logs).doesNotContain(braze.apiKey()).doesNotContain("another-secret-key");
        assertThat(client.toString()).doesNotContain(braze.apiKey());
    }
}
