package io.cdisync.testkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.jdbc.TestDatabase.UserRow;
import io.cdisync.core.store.JdbcWatermarkStore;
import io.cdisync.core.store.SyncLease;
import io.cdisync.testkit.FakeBraze;
import io.cdisync.testkit.NoSecretsInLogs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Syncs from a real PostgreSQL started by the test, the watermark in a table of the same database. */
@ExtendWith(PostgresServer.class)
@ExtendWith(NoSecretsInLogs.class)
class PostgresSyncTest extends JdbcSyncContractTest {
    final PostgresServer pg = PostgresServer.shared();

    PostgresSyncTest() {
        NoSecretsInLogs.secret(pg.password().reveal());
    }

    @Override
    TestDatabase database() {
        return TestDatabase.postgres(pg);
    }

    @Test
    void twoRunnersOnOneSyncWithTheirOwnStoresCannotBothAdvanceIt(FakeBraze braze, BrazeClient client) throws Exception {
        String table = database().createUsersTable();
        List<UserRow> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(row(i, "user-" + i, "{}"));
        }
        database().insertUsers(table, rows);
        // Both runners load the watermark (version 0) before either reads: a real overlap, not a sequence.
        CyclicBarrier bothLoaded = new CyclicBarrier(2);
        SyncListener meetAtStart = new SyncListener() {
            @Override
            public void onStart(String syncId, Instant watermark) {
                try {
                    bothLoaded.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        CompletableFuture<SyncReport> first = CompletableFuture.supplyAsync(
                () -> runner(table, client, store()).listener(meetAtStart).build().run());
        CompletableFuture<SyncReport> second = CompletableFuture.supplyAsync(
                () -> runner(table, client, store()).listener(meetAtStart).build().run());
        List<SyncReport> reports = List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));

        assertThat(reports).extracting(SyncReport::status).containsExactlyInAnyOrder(SyncStatus.SUCCESS, SyncStatus.ERROR);
        SyncReport loser = reports.stream().filter(r -> r.status() == SyncStatus.ERROR).findFirst().orElseThrow();
        assertThat(loser.failure()).isInstanceOf(CdiException.ConcurrentRun.class);
        SyncReport winner = reports.stream().filter(r -> r.status() == SyncStatus.SUCCESS).findFirst().orElseThrow();
        assertThat(winner.watermarkAfter()).isEqualTo(T0.plusSeconds(2999));
        assertThat(externalIds(braze.attributes())).hasSize(3000);
    }

    @Test
    void aLeaseKeepsASecondWorkerFromStartingTheSameSync(FakeBraze braze, BrazeClient client) {
        String table = database().createUsersTable();
        database().insertUsers(table, List.of(row(1, "a", "{}")));
        JdbcWatermarkStore worker1 = store();
        JdbcWatermarkStore worker2 = store();

        try (SyncLease lease = worker1.acquireLease("users", "worker-1", Duration.ofMinutes(5))) {
            assertThatThrownBy(() -> worker2.acquireLease("users", "worker-2", Duration.ofMinutes(5)))
                    .isInstanceOf(CdiException.ConcurrentRun.class).hasMessageContaining("already running on worker-1 until");
            assertThat(runner(table, client, worker1).build().run().rowsDelivered()).isEqualTo(1);
            lease.renew();
        }
        try (SyncLease lease = worker2.acquireLease("users", "worker-2", Duration.ofMinutes(5))) {
            assertThat(runner(table, client, worker2).build().run().rowsDelivered()).isZero();
        }
        assertThat(braze.attributes()).hasSize(1);
    }
}
