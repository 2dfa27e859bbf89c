package io.cdisync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncReport;
import java.time.Instant;

/**
 * The {@code --json} report: one object with {@code status}, {@code rowsRead}, {@code rowsDelivered},
 * {@code rowsFailed}, {@code rowsSkipped}, {@code watermarkBefore}, {@code watermarkAfter} and
 * {@code errors} (each with {@code rowKey} and {@code reason}) — a public contract — plus extra fields.
 */
final class JsonReports {
    static final ObjectMapper JSON = new ObjectMapper();

    private JsonReports() {
    }

    static ObjectNode of(SyncReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", report.status().name());
        root.put("rowsRead", report.rowsRead());
        root.put("rowsDelivered", report.rowsDelivered());
        root.put("rowsFailed", report.rowsFailed());
        root.put("rowsSkipped", report.rowsSkipped());
        putInstant(root, "watermarkBefore", report.watermarkBefore());
        putInstant(root, "watermarkAfter", report.watermarkAfter());
        ArrayNode errors = root.putArray("errors");
        for (RowError error : report.rowErrors()) {
            ObjectNode e = errors.addObject();
            e.put("rowKey", error.rowKey());
            e.put("reason", error.reason());
            e.put("kind", error.kind().name());
            putInstant(e, "updatedAt", error.updatedAt());
        }
        root.put("syncId", report.syncId());
        root.put("dataType", report.dataType().name());
        root.put("dryRun", report.dryRun());
        root.put("rowsHeldBack", report.rowsHeldBack());
        root.put("rowErrorsNotListed", report.rowErrorsDropped());
        root.put("requests", report.requests());
        root.put("rateLimitedWaits", report.rateLimitedWaits());
        root.put("startedAt", report.startedAt().toString());
        root.put("durationMs", report.duration().toMillis());
        if (report.failure() != null) {
            ObjectNode failure = root.putObject("failure");
            failure.put("type", report.failure().getClass().getSimpleName());
            failure.put("message", report.failure().getMessage());
            failure.put("retryable", report.failure().retryable());
        }
        return root;
    }

    private static void putInstant(ObjectNode node, String name, Instant value) {
        if (value == null) {
            node.putNull(name);
        } else {
            node.put(name, value.toString());
        }
    }
}
