package io.cdisync.core.ops;

import java.util.List;
import java.util.Objects;

/**
 * What {@link IntegrationRunner#retryFailedRows} did.
 *
 * @param run          the retry as recorded in the run log, or null when there was nothing to retry
 * @param retried      failed rows re-sent
 * @param delivered    of those, rows Braze accepted: they left the run log
 * @param failedAgain  rows that failed again: they stay, with the new reason and one more attempt
 * @param notRetryable failed rows without their payload (the integration does not keep payloads): they stay
 * @param left         rows whose outcome is unknown (the retry ended on a global error) or that were over the
 *                     retry's row cap: they stay, for the next retry
 * @param alerts       alerts raised (a retry alerts on global errors only)
 */
public record RetryResult(RunRecord run, long retried, long delivered, long failedAgain, long notRetryable, long left,
        List<Alert> alerts) {
    public RetryResult {
        alerts = List.copyOf(Objects.requireNonNull(alerts, "alerts"));
    }
}
