package io.cdisync.core.ops;

import io.cdisync.core.SyncReport;
import java.util.List;
import java.util.Objects;

/**
 * What {@link IntegrationRunner#run} did.
 *
 * @param run    the run as recorded in the run log
 * @param report the sync's full report (row errors capped, as the runner's settings say)
 * @param alerts the alerts raised (each handed to the notifier; a failed delivery is logged)
 */
public record RunResult(RunRecord run, SyncReport report, List<Alert> alerts) {
    public RunResult {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(report, "report");
        alerts = List.copyOf(alerts);
    }
}
