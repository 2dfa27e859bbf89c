package io.cdisync.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.RowError;
import io.cdisync.core.ops.FailedRow;
import io.cdisync.core.ops.IntegrationRunner;
import io.cdisync.core.ops.RetryResult;
import io.cdisync.core.ops.RunRecord;
import io.cdisync.core.ops.RunStatus;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.FakeBraze;
import io.cdisync.testkit.FakeTable;
import io.cdisync.testkit.FakeWarehouse;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Failed rows re-sent on demand, independently of the watermark. */
@ExtendWith(CdiTestExtension.class)
class RetryFailedRowsTest {

    @Test
    void rowsThatNowGoThroughLeaveTheLogAndRowsFailingAgainStayWithTheNewReason(FakeWarehouse warehouse, FakeBraze braze,
            BrazeClient client) {
        OpsSetup ops = new OpsSetup(warehouse, client);
        FakeTable users = ops.activeIntegration("users", b -> b.keepFailedRowPayloads(true));
        for (int i = 0; i < 10; i++) {
            users.insert(OpsSetup.row(i, "user-" + i, "{\"plan\":\"gold\",\"n\":" + i + "}"));
        }
        users.insert(OpsSetup.row(10, "user-10", "{broken"));
        Set<String> blocked = Set.of("user-2", "user-5", "user-7");
        braze.rejectObjects(o -> blocked.contains(o.path("external_id").asText()), "subscription group is archived");
        IntegrationRunner runner = ops.runner().build();

        RunRecord first = runner.run("users").run();
        assertThat(first.rowsFailed()).isEqualTo(4);
        assertThat(ops.runLog.failedRows("users")).extracting(FailedRow::reason).contains("rejected by Braze: subscription group is archived");
        StoredWatermark watermark = ops.store.load("users").orElseThrow();
        assertThat(braze.attributes()).hasSize(7);

        // The operator fixes things in Braze for two of the three users; user-7 is refused for another reason now.
        braze.reset();
        braze.rejectObjects(o -> o.path("external_id").asText().equals("user-7"), "user is blocklisted");
        RetryResult retry = runner.retryFailedRows("users");

        assertThat(retry).extracting(RetryResult::retried, RetryResult::delivered, RetryResult::failedAgain,
                RetryResult::notRetryable, RetryResult::left).containsExactly(4L, 2L, 2L, 0L, 0L);
        assertThat(braze.attributes()).extracting(o -> o.path("external_id").asText()).containsExactlyInAnyOrder("user-2", "user-5");
        assertThat(braze.attributes()).allSatisfy(o -> assertThat(o.path("plan").asText()).isEqualTo("gold"));
        assertThat(ops.runLog.failedRows("users")).extracting(FailedRow::rowKey, FailedRow::attempts)
                .containsExactlyInAnyOrder(tuple("users_sync#8", 2), tuple("users_sync#11", 2));
        assertThat(ops.runLog.failedRows("users")).filteredOn(r -> r.rowKey().equals("users_sync#8")).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo("rejected by Braze: user is blocklisted"));
        assertThat(ops.runLog.failedRows("users")).filteredOn(r -> r.rowKey().equals("users_sync#11")).singleElement()
                .satisfies(r -> assertThat(r.kind()).isEqualTo(RowError.Kind.INVALID_PAYLOAD));
        assertThat(ops.store.load("users").orElseThrow()).as("the integration's watermark neither limits nor moves").isEqualTo(watermark);
        assertThat(retry.run().kind()).isEqualTo(RunRecord.Kind.RETRY);
        assertThat(retry.run().status()).isEqualTo(RunStatus.PARTIAL_SUCCESS);
        assertThat(ops.runLog.runs("users", 10)).extracting(RunRecord::kind).containsExactly(RunRecord.Kind.RETRY, RunRecord.Kind.SYNC);

        braze.reset();
        RetryResult last = runner.retryFailedRows("users");
        assertThat(last.delivered()).isEqualTo(1);
        assertThat(ops.runLog.failedRows("users")).extracting(FailedRow::rowKey).containsExactly("users_sync#11");
    }

    @Test
    void rowsKeptWithoutTheirPayloadCannotBeRetriedAndStay(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        OpsSetup ops = new OpsSetup(warehouse, client);
        FakeTable users = ops.activeIntegration("users", b -> b);
        users.insert(OpsSetup.row(1, "user-1", "{}"));
        braze.rejectObjects(o -> true, "nope");
        IntegrationRunner runner = ops.runner().build();
        runner.run("users");
        braze.reset();

        RetryResult retry = runner.retryFailedRows("users");
        assertThat(retry.run()).as("nothing to run").isNull();
        assertThat(retry.notRetryable()).isEqualTo(1);
        assertThat(ops.runLog.failedRows("users")).hasSize(1);
        assertThat(braze.attributes()).isEmpty();
    }

    @Test
    void aRetryEndingOnAGlobalErrorKeepsEveryRowWhoseOutcomeIsUnknown(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        OpsSetup ops = new OpsSetup(warehouse, client);
        FakeTable users = ops.activeIntegration("users", b -> b.keepFailedRowPayloads(true));
        users.insert(OpsSetup.row(1, "user-1", "{}"));
        users.insert(OpsSetup.row(2, "user-2", "{}"));
        braze.rejectObjects(o -> true, "nope");
        IntegrationRunner runner = ops.runner().build();
        runner.run("users");
        braze.reset();
        braze.failNext(5, 401);

        RetryResult retry = runner.retryFailedRows("users");
        assertThat(retry.run().status()).isEqualTo(RunStatus.ERROR);
        assertThat(retry).extracting(RetryResult::delivered, RetryResult::failedAgain, RetryResult::left).containsExactly(0L, 0L, 2L);
        assertThat(ops.runLog.failedRows("users")).hasSize(2).allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));
        assertThat(ops.alerts).extracting(a -> a.kind().name()).containsExactly("GLOBAL_ERROR");
        assertThat(ops.alerts.get(0).subject()).isEqualTo("[cdi] users: retry of failed rows failed");
    }
}
