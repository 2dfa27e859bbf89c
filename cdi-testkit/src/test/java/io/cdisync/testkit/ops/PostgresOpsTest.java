package io.cdisync.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.SyncListener;
import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.ops.FailedRow;
import io.cdisync.core.ops.FailedRowExport;
import io.cdisync.core.ops.IntegrationRunner;
import io.cdisync.core.ops.JdbcIntegrationStore;
import io.cdisync.core.ops.JdbcRunLog;
import io.cdisync.core.ops.RetryResult;
import io.cdisync.core.ops.RunResult;
import io.cdisync.core.ops.RunStatus;
import io.cdisync.core.store.JdbcWatermarkStore;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.FakeBraze;
import io.cdisync.testkit.FakeTable;
import io.cdisync.testkit.FakeWarehouse;
import java.io.StringWriter;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Operating syncs with everything in a real PostgreSQL: integrations, run log and watermarks with their leases,
 * shared by two workers (two runners, each with its own store instances, as two processes would have).
 */
@ExtendWith({PostgresServer.class, CdiTestExtension.class})
class PostgresOpsTest {
    final PostgresServer pg = PostgresServer.shared();
    final String prefix = TestDatabase.uniqueName("ops");

    OpsSetup worker(FakeWarehouse warehouse, BrazeClient client) {
        return new OpsSetup(warehouse, client,
                JdbcIntegrationStore.builder().connectionFactory(pg.connections()).dialect(SqlDialect.postgres())
                        .table(prefix + "_integrations").build(),
                JdbcRunLog.builder().connectionFactory(pg.connections()).dialect(SqlDialect.postgres()).runsTable(prefix + "_runs")
                        .failedRowsTable(prefix + "_failed").build(),
                JdbcWatermarkStore.builder().connectionFactory(pg.connections()).dialect(SqlDialect.postgres())
                        .table(prefix + "_watermarks").build());
    }

    @Test
    void twoWorkersSharingTheStoresRunAnIntegrationOneAtATimeAndRetryItsFailedRows(FakeWarehouse warehouse, FakeBraze braze,
            BrazeClient client) throws Exception {
        OpsSetup one = worker(warehouse, client);
        FakeTable users = one.activeIntegration("users", b -> b.keepFailedRowPayloads(true));
        for (int i = 0; i < 50; i++) {
            users.insert(OpsSetup.row(i, "user-" + i, "{\"n\":" + i + "}"));
        }
        braze.rejectObjects(o -> o.path("n").asInt() % 10 == 0, "attribute limit reached");
        OpsSetup two = worker(warehouse, client);
        assertThat(two.integrations.get("users").state().name()).as("worker two sees worker one's integration").isEqualTo("ACTIVE");

        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IntegrationRunner runnerOne = one.runner().leaseOwner("worker-1").listener(new SyncListener() {
            @Override
            public void onStart(String syncId, Instant watermark) {
                started.countDown();
                IntegrationRunnerTest.await(release);
            }
        }).build();
        IntegrationRunner runnerTwo = two.runner().leaseOwner("worker-2").build();

        CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(() -> runnerOne.run("users"));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> runnerTwo.run("users")).isInstanceOf(CdiException.ConcurrentRun.class)
                .hasMessageStartingWith("another run of users is in progress (sync users is already running on worker-1 until");
        release.countDown();
        RunResult result = first.get(30, TimeUnit.SECONDS);
        assertThat(result.run().status()).isEqualTo(RunStatus.PARTIAL_SUCCESS);
        assertThat(two.runLog.runs("users", 5)).containsExactly(result.run());
        assertThat(two.runLog.failedRows("users")).hasSize(5).allSatisfy(r -> assertThat(r.retryable()).isTrue());

        StringWriter csv = new StringWriter();
        assertThat(FailedRowExport.csv(two.runLog, "users", csv)).isEqualTo(5);
        assertThat(csv.toString()).contains("users,users_sync#1,2026-01-01T00:00:00Z,external_id:user-0,REJECTED_BY_BRAZE,"
                + "rejected by Braze: attribute limit reached,");

        braze.reset();
        RetryResult retry = runnerTwo.retryFailedRows("users");
        assertThat(retry.delivered()).isEqualTo(5);
        assertThat(one.runLog.failedRows("users")).isEmpty();
        assertThat(braze.attributes()).extracting(o -> o.path("n").asInt()).containsExactlyInAnyOrder(0, 10, 20, 30, 40);
        assertThat(runnerTwo.run("users").run().status()).as("the lease was given back").isEqualTo(RunStatus.SUCCESS);
        assertThat(one.runLog.runs("users", 10)).extracting(r -> r.kind().name()).containsExactly("SYNC", "RETRY", "SYNC");
        assertThat(one.runLog.failedRows("users")).extracting(FailedRow::rowKey).isEmpty();
    }
}
