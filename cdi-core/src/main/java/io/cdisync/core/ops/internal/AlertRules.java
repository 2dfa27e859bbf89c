package io.cdisync.core.ops.internal;

import io.cdisync.braze.Secret;
import io.cdisync.core.ops.Alert;
import io.cdisync.core.ops.AlertSettings;
import io.cdisync.core.ops.Credentials;
import io.cdisync.core.ops.Integration;
import io.cdisync.core.ops.RunRecord;
import io.cdisync.core.ops.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which alerts a finished run raises, and their text. Global errors always; the row-error threshold,
 * success and no-rows-changed alerts when the integration opted in. A success alert is for a run that
 * synced rows; a run that found nothing new raises the no-rows-changed alert instead, if wanted. Retries
 * raise global errors only. Texts carry counts and the failure's message, with the credentials' secrets
 * masked out; never a payload.
 */
public final class AlertRules {
    private AlertRules() {
    }

    /** The alerts for {@code run} of {@code integration}; {@code credentials} (may be null) gives secrets to mask. */
    public static List<Alert> alertsFor(Integration integration, RunRecord run, Credentials credentials) {
        List<Alert> alerts = new ArrayList<>();
        if (!run.isFinished()) {
            return alerts;
        }
        AlertSettings settings = integration.alerts();
        if (run.status() == RunStatus.ERROR) {
            alerts.add(alert(Alert.Kind.GLOBAL_ERROR, integration, run, credentials,
                    (run.kind() == RunRecord.Kind.RETRY ? "retry of failed rows failed" : "sync failed"),
                    "The run stopped on a global error: " + run.failure() + "\nNothing past the last delivered row is lost;"
                            + " the next run continues from there once the problem is fixed."));
        }
        if (run.kind() == RunRecord.Kind.RETRY) {
            return alerts;
        }
        Double threshold = settings.rowErrorPercentAbove();
        if (threshold != null && run.rowsRead() > 0 && run.rowErrorPercent() > threshold) {
            alerts.add(alert(Alert.Kind.ROW_ERRORS_ABOVE_THRESHOLD, integration, run, credentials,
                    String.format(Locale.ROOT, "%.1f%% of rows failed", run.rowErrorPercent()),
                    String.format(Locale.ROOT, "%d of %d rows read failed (%.1f%%, above the %.1f%% threshold)."
                            + "\nExport the failed rows to see each row's reason; fix the rows in the source table,"
                            + " or retry them if Braze refused them for a passing reason.", run.rowsFailed(), run.rowsRead(),
                            run.rowErrorPercent(), threshold)));
        }
        boolean finished = run.status() != RunStatus.ERROR;
        boolean changed = run.rowsDelivered() + run.rowsFailed() > 0;
        if (finished && changed && settings.onSuccess()) {
            alerts.add(alert(Alert.Kind.SUCCESS, integration, run, credentials, "sync succeeded"
                    + (run.status() == RunStatus.PARTIAL_SUCCESS ? " with row errors" : ""), "The run finished."));
        }
        if (finished && !changed && settings.onNoRowsChanged()) {
            alerts.add(alert(Alert.Kind.NO_ROWS_CHANGED, integration, run, credentials, "no rows changed",
                    "The run finished and found no new or updated rows in " + integration.table() + "."));
        }
        return alerts;
    }

    private static Alert alert(Alert.Kind kind, Integration integration, RunRecord run, Credentials credentials, String what,
            String body) {
        String subject = "[cdi] " + integration.name() + ": " + what;
        StringBuilder text = new StringBuilder();
        text.append("Integration ").append(integration.name()).append(" (").append(integration.dataType())
                .append(integration.catalog() == null ? "" : " to catalog " + integration.catalog()).append(", table ")
                .append(integration.table()).append(")\n");
        text.append(body).append("\n\n");
        text.append("Run ").append(run.runId()).append(run.kind() == RunRecord.Kind.RETRY ? " (retry of failed rows)" : "")
                .append(": ").append(run.status()).append(", started ").append(run.startedAt()).append(", took ")
                .append(run.duration() == null ? "?" : run.duration().toMillis() + " ms").append('\n');
        text.append("Rows read ").append(run.rowsRead()).append(", delivered ").append(run.rowsDelivered()).append(", failed ")
                .append(run.rowsFailed()).append(", skipped ").append(run.rowsSkipped()).append('\n');
        text.append("Last UPDATED_AT synced: ").append(run.lastUpdatedAt() == null ? "(none yet)" : run.lastUpdatedAt()).append('\n');
        RunRecord shown = run.failure() == null ? run : new RunRecord(run.runId(), run.integration(), run.kind(), run.status(),
                run.rowsRead(), run.rowsDelivered(), run.rowsFailed(), run.rowsSkipped(), run.lastUpdatedAt(), run.startedAt(),
                run.duration(), mask(run.failure(), credentials));
        return new Alert(kind, integration.name(), integration.contacts(), shown, mask(subject, credentials),
                mask(text.toString(), credentials));
    }

    private static String mask(String text, Credentials credentials) {
        String masked = text;
        if (credentials != null) {
            for (Secret secret : credentials.secrets().values()) {
                masked = secret.redact(masked);
            }
        }
        return masked;
    }
}
