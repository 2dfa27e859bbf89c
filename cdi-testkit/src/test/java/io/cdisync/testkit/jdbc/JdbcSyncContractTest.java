package io.cdisync.testkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.jdbc.JdbcSource;
import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.jdbc.TestDatabase.UserRow;
import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.JdbcWatermarkStore;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.DyingWatermarkStore;
import io.cdisync.testkit.FakeBraze;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * User attributes end to end from a real database: {@link JdbcSource} -> {@code SyncRunner} -> BrazeClient ->
 * {@link FakeBraze}, with the watermark in a {@link JdbcWatermarkStore} in the same database. Subclasses give
 * the database.
 */
@ExtendWith(CdiTestExtension.class)
abstract class JdbcSyncContractTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    final String storeTable = TestDatabase.uniqueName("cdi_watermarks");

    abstract TestDatabase database();

    JdbcSource source(String table) {
        return JdbcSource.builder().connectionFactory(database().connections()).dialect(database().dialect()).table(table).build();
    }

    JdbcWatermarkStore store() {
        return JdbcWatermarkStore.builder().connectionFactory(database().connections()).dialect(database().dialect())
                .table(storeTable).build();
    }

    SyncRunner.Builder runner(String table, BrazeClient client, WatermarkStore store) {
        return SyncRunner.builder().syncId("users").source(source(table)).braze(client).watermarkStore(store).clock(NOW)
                .checkpointInterval(Duration.ZERO);
    }

    static UserRow row(int second, String user, String payload) {
        return new UserRow(T0.plusSeconds(second), user, payload);
    }

    static Set<String> externalIds(List<ObjectNode> objects) {
        return objects.stream().map(o -> o.path("external_id").asText()).collect(Collectors.toSet());
    }

    @Test
    void equalTimestampRowsAddedAfterASyncArePickedUpAndDeliveredOnesAreNotResent(FakeBraze braze, BrazeClient client) {
        TestDatabase db = database();
        String table = db.createUsersTable();
        db.insertUsers(table, List.of(row(10, "a", "{\"v\":1}"), row(10, "b", "{\"v\":1}")));
        SyncReport first = runner(table, client, store()).build().run();
        assertThat(first.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(first.rowsDelivered()).isEqualTo(2);

        db.insertUsers(table, List.of(row(10, "c", "{\"v\":1}"), row(10, "d", "{\"v\":1}")));
        SyncReport second = runner(table, client, store()).build().run();

        assertThat(second.rowsDelivered()).isEqualTo(2);
        assertThat(second.rowsSkipped()).isEqualTo(2);
        assertThat(braze.attributes()).extracting(o -> o.path("external_id").asText()).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(braze.attributes()).allSatisfy(o -> assertThat(o.path("v").asInt()).isEqualTo(1));
        assertThat(store().load("users").orElseThrow().version()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void lateRowsInsideTheLookbackArePickedUpWithoutResendingDeliveredOnes(FakeBraze braze, BrazeClient client) {
        TestDatabase db = database();
        String table = db.createUsersTable();
        List<UserRow> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(row(i * 10, "u" + i, "{\"v\":" + i + "}"));
        }
        db.insertUsers(table, rows);
        SyncRunner sync = runner(table, client, store()).lookback(Duration.ofMinutes(5)).build();
        assertThat(sync.run().rowsDelivered()).isEqualTo(100);

        // Committed late: 60 s and 250 s below the watermark (990 s), inside the lookback; 400 s below, outside it.
        db.insertUsers(table, List.of(row(930, "late-1", "{}"), row(740, "late-2", "{}"), row(590, "too-late", "{}")));
        SyncReport second = sync.run();

        assertThat(second.rowsDelivered()).isEqualTo(2);
        assertThat(second.rowsSkipped()).isEqualTo(31);
        assertThat(externalIds(braze.attributes())).contains("late-1", "late-2").doesNotContain("too-late");
        assertThat(braze.attributes()).hasSize(102);
        assertThat(sync.run().rowsDelivered()).isZero();
    }

    @Test
    void aCrashAfterSomeCheckpointsThenARerunDeliversEveryRow(FakeBraze braze, BrazeClient client) {
        TestDatabase db = database();
        String table = db.createUsersTable();
        List<UserRow> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            rows.add(row(i / 3, "user-" + (i % 700), "{\"i\":" + i + "}"));
        }
        db.insertUsers(table, rows);
        // The process "dies" at its 4th checkpoint: nothing after it is persisted, and the run stops there.
        SyncReport crashed = runner(table, client, DyingWatermarkStore.dyingAfter(3, store())).fetchSize(200).build().run();
        assertThat(crashed.status()).isEqualTo(SyncStatus.ERROR);
        int deliveredBeforeCrash = braze.attributes().size();
        assertThat(deliveredBeforeCrash).isBetween(1, 4999);
        assertThat(store().load("users").orElseThrow().version()).isEqualTo(3);

        SyncReport rerun = runner(table, client, store()).checkpointInterval(Duration.ofSeconds(1)).build().run();

        assertThat(rerun.status()).isEqualTo(SyncStatus.SUCCESS);
        Set<Integer> received = new HashSet<>();
        braze.attributes().forEach(o -> received.add(o.path("i").asInt()));
        assertThat(received).hasSize(5000);
        assertThat(braze.attributes().size() - 5000).isLessThanOrEqualTo(deliveredBeforeCrash);
        assertThat(rerun.watermarkAfter()).isEqualTo(T0.plusSeconds(4999 / 3));
    }

    @Test
    void aTableDroppedBetweenRunsEndsTheSyncWithAConfigurationErrorAndTheWatermarkUnmoved(FakeBraze braze, BrazeClient client) {
        TestDatabase db = database();
        String table = db.createUsersTable();
        db.insertUsers(table, List.of(row(1, "a", "{}")));
        assertThat(runner(table, client, store()).build().run().status()).isEqualTo(SyncStatus.SUCCESS);
        db.execute("DROP TABLE " + table);

        SyncReport report = runner(table, client, store()).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(report.failure()).isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining(table + " not found");
        assertThat(report.watermarkAfter()).isEqualTo(T0.plusSeconds(1));
        assertThat(store().load("users").orElseThrow().version()).isEqualTo(1);
    }
}
