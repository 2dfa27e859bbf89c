package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random interleavings of inserts, updates with equal and late timestamps, sync runs and crashed runs:
 * after a final run, Braze has received the latest version of every row, and within every run one
 * user's rows arrived in UPDATED_AT order.
 */
class SyncPropertiesTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock LATER = Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final Duration LOOKBACK = Duration.ofSeconds(20);

    static FakeBraze braze;
    static BrazeClient client;

    @BeforeContainer
    static void start() {
        braze = FakeBraze.start();
        client = BrazeTestClients.clientFor(braze);
    }

    @AfterContainer
    static void stop() throws java.io.IOException {
        client.close();
        braze.close();
        NoSecretsInLogs.assertClean("SyncPropertiesTest");
    }

    @Property(tries = 200)
    void latestVersionsArriveAndPerUserOrderHolds(@ForAll long seed,
            @ForAll @Size(min = 5, max = 60) List<@IntRange(min = 0, max = 99) Integer> operations) {
        braze.reset();
        Random random = new Random(seed);
        FakeWarehouse warehouse = new FakeWarehouse();
        FakeTable table = warehouse.createTable("users");
        InMemoryWatermarkStore store = new InMemoryWatermarkStore();
        Map<String, Integer> versions = new HashMap<>();
        List<int[]> runSlices = new ArrayList<>();
        Instant now = T0;
        Instant newest = T0;
        int version = 0;
        for (int op : operations) {
            if (op < 50) { // insert or update a user's row at the current time (ties are common)
                String user = "user-" + random.nextInt(6);
                table.insert(row(user, now, ++version));
                versions.put(user, version);
                newest = newest.isAfter(now) ? newest : now;
            } else if (op < 62) { // a row committed late: UPDATED_AT inside the lookback below the newest row
                String user = "user-" + random.nextInt(6);
                Instant late = newest.minusMillis(random.nextInt((int) LOOKBACK.toMillis() - 1000));
                table.insert(row(user, late, ++version));
                versions.put(user, version);
            } else if (op < 78) {
                now = now.plusMillis(1 + random.nextInt(3_000));
            } else {
                boolean crash = op >= 93;
                int before = braze.attributes().size();
                SyncRunner.Builder runner = SyncRunner.builder().syncId("prop").source(warehouse.connector("users"))
                        .braze(client).clock(LATER).lookback(LOOKBACK).checkpointInterval(Duration.ZERO)
                        .concurrency(1 + random.nextInt(4)).fetchSize(1 + random.nextInt(5))
                        .watermarkStore(crash ? DyingWatermarkStore.dyingAfter(random.nextInt(3), store) : store);
                runner.build().run();
                runSlices.add(new int[] {before, braze.attributes().size()});
            }
        }
        int before = braze.attributes().size();
        SyncRunner.builder().syncId("prop").source(warehouse.connector("users")).braze(client).clock(LATER)
                .lookback(LOOKBACK).watermarkStore(store).build().run().throwIfFailed();
        runSlices.add(new int[] {before, braze.attributes().size()});

        List<ObjectNode> received = braze.attributes();
        Set<String> delivered = new HashSet<>();
        for (ObjectNode object : received) {
            delivered.add(object.path("external_id").asText() + "@" + object.path("v").asInt());
        }
        versions.forEach((user, v) -> assertThat(delivered).as("latest version of " + user).contains(user + "@" + v));
        for (int[] slice : runSlices) {
            Map<String, Instant> lastSeen = new HashMap<>();
            for (ObjectNode object : received.subList(slice[0], slice[1])) {
                String user = object.path("external_id").asText();
                Instant at = Instant.parse(object.path("ts").asText());
                Instant previous = lastSeen.put(user, at);
                assertThat(previous == null || !at.isBefore(previous)).as("order of " + user + " within a run").isTrue();
            }
        }
    }

    private static SourceRow row(String user, Instant at, int version) {
        return SourceRow.builder().rowKey(user).updatedAt(at).externalId(user)
                .payload("{\"v\":" + version + ",\"ts\":\"" + at + "\"}").build();
    }
}
