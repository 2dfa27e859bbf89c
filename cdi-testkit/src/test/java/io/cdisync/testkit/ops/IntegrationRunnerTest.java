package io.cdisync.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.ops.FailedRow;
import io.cdisync.core.ops.InMemoryRunLog;
import io.cdisync.core.ops.IntegrationRunner;
import io.cdisync.core.ops.OpsException;
import io.cdisync.core.ops.RunRecord;
import io.cdisync.core.ops.RunResult;
import io.cdisync.core.ops.RunStatus;
import io.cdisync.core.store.InMemoryWatermarkStore;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.FakeBraze;
import io.cdisync.testkit.FakeTable;
import io.cdisync.testkit.FakeWarehouse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs recorded in the run log, one run at a time, states, and a run log that fails. Against the fakes. */
@ExtendWith(CdiTestExtension.class)
class IntegrationRunnerTest {

    @Test
    void aRunIsRecordedWithEveryFailedRowEvenBeyondTheReportsCap(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        OpsSetup ops = new OpsSetup(warehouse, client);
        FakeTable users = ops.activeIntegration("users", b -> b);
        for (int i = 0; i < 30; i++) {
            users.insert(OpsSetup.row(i, "user-" + i, i % 3 == 0 ? "{not json" : "{\"n\":" + i + "}"));
        }
        IntegrationRunner runner = ops.runner().tuning(b -> b.maxReportedErrors(4)).build();

        RunResult result = runner.run("users");

        assertThat(result.report().status()).isEqualTo(SyncStatus.PARTIAL_SUCCESS);
        assertThat(result.report().rowErrors()).hasSize(4);
        RunRecord run = result.run();
        assertThat(run).extracting(RunRecord::status, RunRecord::kind, RunRecord::rowsRead, RunRecord::rowsDelivered,
                RunRecord::rowsFailed, RunRecord::lastUpdatedAt)
                .containsExactly(RunStatus.PARTIAL_SUCCESS, RunRecord.Kind.SYNC, 30L, 20L, 10L, OpsSetup.T0.plusSeconds(29));
        assertThat(run.duration()).isNotNull();
        assertThat(ops.runLog.runs("users", 10)).containsExactly(run);
        List<FailedRow> failed = ops.runLog.failedRows("users");
        assertThat(failed).hasSize(10).allSatisfy(row -> {
            assertThat(row.kind()).isEqualTo(RowError.Kind.INVALID_PAYLOAD);
            assertThat(row.runId()).isEqualTo(run.runId());
            assertThat(row.retryable()).as("payloads are not kept unless the integration allows it").isFalse();
        });
        assertThat(failed).extracting(FailedRow::rowKey).containsExactly("users_sync#1", "users_sync#4", "users_sync#7",
                "users_sync#10", "users_sync#13", "users_sync#16", "users_sync#19", "users_sync#22", "users_sync#25", "users_sync#28");
        assertThat(braze.attributes()).hasSize(20);
    }

    @Test
    void failedRowsKeepTheirColumnsAndPayloadOnlyWhenTheIntegrationAllowsIt(FakeWarehouse warehouse, BrazeClient client) {
        OpsSetup ops = new OpsSetup(warehouse, client);
        FakeTable users = ops.activeIntegration("users", b -> b.keepFailedRowPayloads(true));
        users.insert(OpsSetup.row(1, "user-1", "{\"ok\":true}"));
        users.insert(OpsSetup.row(2, "user-2", "[1,2]"));
        ops.runner().tuning(b -> b.fetchSize(1).checkpointInterval(java.time.Duration.ZERO)).build().run("users");
        FailedRow failed = ops.runLog.failedRows("users").get(0);
        assertThat(failed.row().externalId()).isEqualTo("user-2");
        assertThat(failed.row().payload()).isEqualTo("[1,2]");
        assertThat(failed.toString()).doesNotContain("[1,2]");
    }

    @Test
    void aSecondConcurrentRunOfTheSameIntegrationIsRefused(FakeWarehouse warehouse, BrazeClient client) throws Exception {
        OpsSetup ops = new OpsSetup(warehouse, client);
        ops.activeIntegration("users", b -> b).insert(OpsSetup.row(1, "user-1", "{}"));
        ops.activeIntegration("events", b -> b).insert(OpsSetup.row(1, "user-1", "{}"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IntegrationRunner runner = ops.runner().listener(new SyncListener() {
            @Override
            public void onStart(String syncId, Instant watermark) {
                if (syncId.equals("users")) {
                    started.countDown();
                    await(release);
                }
            }
        }).build();

        CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(() -> runner.run("users"));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> runner.run("users")).isInstanceOf(CdiException.ConcurrentRun.class)
                .hasMessage("another run of users is in progress (in this process); wait for it to finish");
        assertThatThrownBy(() -> runner.retryFailedRows("users")).isInstanceOf(CdiException.ConcurrentRun.class);
        assertThat(runner.run("events").run().status()).as("other integrations run meanwhile").isEqualTo(RunStatus.SUCCESS);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).run().status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(runner.run("users").run().status()).as("the guard is given back").isEqualTo(RunStatus.SUCCESS);
        assertThat(ops.runLog.runs("users", 10)).hasSize(2);
    }

    @Test
    void onlyActiveIntegrationsRun(FakeWarehouse warehouse, BrazeClient client) {
        OpsSetup ops = new OpsSetup(warehouse, client);
        ops.activeIntegration("users", b -> b);
        IntegrationRunner runner = ops.runner().build();
        ops.integrations.pause("users");
        assertThatThrownBy(() -> runner.run("users")).isInstanceOf(OpsException.Refused.class)
                .hasMessage("integration users is PAUSED; only an active integration runs");
        ops.integrations.resume("users");
        assertThat(runner.run("users").run().status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(ops.runLog.runs("users", 10)).hasSize(1);
    }

    @Test
    void aRunLogThatCannotRecordFailedRowsStopsTheWatermarkBeforeThem(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        OpsSetup ops = new OpsSetup(warehouse, client, new io.cdisync.core.ops.InMemoryIntegrationStore(),
                new BrokenRunLog(new InMemoryRunLog()),
                new InMemoryWatermarkStore());
        FakeTable users = ops.activeIntegration("users", b -> b);
        users.insert(OpsSetup.row(1, "user-1", "{not json"));
        users.insert(OpsSetup.row(2, "user-2", "{}"));

        RunResult result = ops.runner().build().run("users");

        assertThat(result.run().status()).isEqualTo(RunStatus.ERROR);
        assertThat(result.run().failure()).startsWith("cannot record the failed rows of run " + result.run().runId()
                + " in the run log (disk full); the watermark stays before them");
        assertThat(ops.store.load("users")).as("the watermark did not pass the unrecorded row").isEmpty();
        assertThat(ops.alerts).extracting(a -> a.kind().name()).containsExactly("GLOBAL_ERROR");
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A run log whose failed rows cannot be written. */
    static final class BrokenRunLog extends ForwardingRunLog {
        BrokenRunLog(io.cdisync.core.ops.RunLog delegate) {
            super(delegate);
        }

        @Override
        public void recordFailedRows(List<FailedRow> rows) {
            throw new OpsException.StoreFailure("disk full", null);
        }
    }
}
