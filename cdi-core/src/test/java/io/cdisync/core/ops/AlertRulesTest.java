package io.cdisync.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.core.ops.internal.AlertRules;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which runs raise which alerts, and what their texts hold. */
class AlertRulesTest {
    static RunRecord run(RunRecord.Kind kind, RunStatus status, long read, long delivered, long failed, String failure) {
        return new RunRecord("run-1", "users", kind, status, read, delivered, failed, read - delivered - failed, null, OpsFixtures.T0,
                Duration.ofSeconds(2), failure);
    }

    static List<Alert.Kind> kinds(AlertSettings settings, RunRecord run) {
        Integration integration = OpsFixtures.integration("users", "warehouse", "ingestion.users").alerts(settings).build();
        return AlertRules.alertsFor(integration, run, OpsFixtures.warehouse("warehouse")).stream().map(Alert::kind).toList();
    }

    @Test
    void globalErrorsAlwaysAlertAndTheRestOnlyWhenAskedFor() {
        AlertSettings none = AlertSettings.GLOBAL_ERRORS_ONLY;
        AlertSettings all = none.withRowErrorPercentAbove(10).withOnSuccess(true).withOnNoRowsChanged(true);
        RunRecord.Kind sync = RunRecord.Kind.SYNC;

        assertThat(kinds(none, run(sync, RunStatus.ERROR, 0, 0, 0, "cannot reach db:5432"))).containsExactly(Alert.Kind.GLOBAL_ERROR);
        assertThat(kinds(none, run(sync, RunStatus.PARTIAL_SUCCESS, 10, 5, 5, null))).isEmpty();
        assertThat(kinds(none, run(sync, RunStatus.SUCCESS, 10, 10, 0, null))).isEmpty();

        assertThat(kinds(all, run(sync, RunStatus.PARTIAL_SUCCESS, 10, 8, 2, null)))
                .containsExactly(Alert.Kind.ROW_ERRORS_ABOVE_THRESHOLD, Alert.Kind.SUCCESS);
        assertThat(kinds(all, run(sync, RunStatus.PARTIAL_SUCCESS, 10, 9, 1, null))).as("10% is not above 10%")
                .containsExactly(Alert.Kind.SUCCESS);
        assertThat(kinds(all, run(sync, RunStatus.SUCCESS, 3, 0, 0, null))).as("only rows already delivered")
                .containsExactly(Alert.Kind.NO_ROWS_CHANGED);
        assertThat(kinds(all, run(sync, RunStatus.ERROR, 0, 0, 0, "x"))).containsExactly(Alert.Kind.GLOBAL_ERROR);
        assertThat(kinds(all, run(RunRecord.Kind.RETRY, RunStatus.PARTIAL_SUCCESS, 10, 0, 10, null))).as("retries: errors only").isEmpty();
        assertThat(kinds(all, RunRecord.running("run-2", "users", sync, OpsFixtures.T0).finished(new io.cdisync.core.SyncReport("users",
                io.cdisync.core.DataType.USER_ATTRIBUTES, io.cdisync.core.SyncStatus.SUCCESS, false, 0, 0, 0, 0, 0, List.of(), 0, 0, 0,
                null, null, OpsFixtures.T0, Duration.ZERO, null)))).containsExactly(Alert.Kind.NO_ROWS_CHANGED);
    }

    @Test
    void textsSayWhatHappenedAndMaskTheCredentialsSecrets() {
        Integration integration = OpsFixtures.integration("users", "warehouse", "ingestion.users").build();
        RunRecord failed = run(RunRecord.Kind.SYNC, RunStatus.ERROR, 4, 2, 0, "driver said: password " + OpsFixtures.PASSWORD
                + " refused");
        Alert alert = AlertRules.alertsFor(integration, failed, OpsFixtures.warehouse("warehouse")).get(0);
        assertThat(alert.subject()).isEqualTo("[cdi] users: sync failed");
        assertThat(alert.recipients()).containsExactly("data@example.com");
        assertThat(alert.text()).contains("Integration users (USER_ATTRIBUTES, table ingestion.users)")
                .contains("The run stopped on a global error: driver said: password **** refused")
                .contains("Rows read 4, delivered 2, failed 0").doesNotContain(OpsFixtures.PASSWORD);
        assertThat(alert.run().failure()).isEqualTo("driver said: password **** refused");
    }
}
