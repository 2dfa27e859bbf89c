package io.cdisync.core.ops.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.ops.AlertSettings;
import io.cdisync.core.ops.ConnectionTest;
import io.cdisync.core.ops.Credentials;
import io.cdisync.core.ops.FailedRow;
import io.cdisync.core.ops.Integration;
import io.cdisync.core.ops.IntegrationSnapshot;
import io.cdisync.core.ops.IntegrationState;
import io.cdisync.core.ops.RunRecord;
import io.cdisync.core.ops.RunStatus;
import io.cdisync.core.ops.SecretSealer;
import io.cdisync.core.spi.SourceRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON forms the persistent stores write: integration snapshots (secrets sealed), runs and failed
 * rows. Stable: new fields are added, none renamed; readers ignore fields they do not know.
 */
public final class OpsJson {
    /** Shared mapper; thread-safe once configured. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private OpsJson() {
    }

    /** Parses JSON text, as an {@link IllegalArgumentException} when it is not JSON. */
    public static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // The location only: the text may hold a secret or a payload, and Jackson quotes what it read.
            throw new IllegalArgumentException("not JSON (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ", column " + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()) + ")");
        }
    }

    /** A snapshot (without its version) as JSON, secrets sealed. */
    public static ObjectNode snapshot(IntegrationSnapshot snapshot, SecretSealer sealer) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        ArrayNode integrations = root.putArray("integrations");
        snapshot.integrations().values().forEach(i -> integrations.add(integration(i)));
        ArrayNode credentials = root.putArray("credentials");
        snapshot.credentials().values().forEach(c -> credentials.add(credentials(c, sealer)));
        return root;
    }

    /** A snapshot from {@link #snapshot(IntegrationSnapshot, SecretSealer)}'s JSON, at {@code version}. */
    public static IntegrationSnapshot snapshot(JsonNode root, long version, SecretSealer sealer) {
        Map<String, Integration> integrations = new TreeMap<>();
        for (JsonNode node : root.path("integrations")) {
            Integration integration = integration(node);
            integrations.put(integration.name(), integration);
        }
        Map<String, Credentials> credentials = new TreeMap<>();
        for (JsonNode node : root.path("credentials")) {
            Credentials c = credentials(node, sealer);
            credentials.put(c.name(), c);
        }
        return new IntegrationSnapshot(version, integrations, credentials);
    }

    static ObjectNode integration(Integration i) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", i.name());
        node.put("dataType", i.dataType().name());
        if (i.catalog() != null) {
            node.put("catalog", i.catalog());
        }
        node.put("credentials", i.credentials());
        node.put("table", i.table());
        if (i.schedule() != null) {
            node.set("schedule", ScheduleJson.write(i.schedule()));
        }
        ArrayNode contacts = node.putArray("contacts");
        i.contacts().forEach(contacts::add);
        ObjectNode alerts = node.putObject("alerts");
        if (i.alerts().rowErrorPercentAbove() != null) {
            alerts.put("rowErrorPercentAbove", i.alerts().rowErrorPercentAbove());
        }
        alerts.put("onSuccess", i.alerts().onSuccess());
        alerts.put("onNoRowsChanged", i.alerts().onNoRowsChanged());
        node.put("keepFailedRowPayloads", i.keepFailedRowPayloads());
        node.put("state", i.state().name());
        if (i.lastConnectionTest() != null) {
            ConnectionTest test = i.lastConnectionTest();
            node.putObject("lastConnectionTest").put("passed", test.passed()).put("message", test.message())
                    .put("testedAt", test.testedAt().toString());
        }
        return node;
    }

    static Integration integration(JsonNode node) {
        List<String> contacts = new ArrayList<>();
        node.path("contacts").forEach(c -> contacts.add(c.asText()));
        JsonNode alerts = node.path("alerts");
        JsonNode test = node.get("lastConnectionTest");
        return Integration.builder().name(node.path("name").asText()).dataType(DataType.valueOf(node.path("dataType").asText()))
                .catalog(text(node, "catalog")).credentials(node.path("credentials").asText()).table(node.path("table").asText())
                .schedule(node.hasNonNull("schedule") ? ScheduleJson.read(node.get("schedule")) : null).contacts(contacts)
                .alerts(new AlertSettings(alerts.hasNonNull("rowErrorPercentAbove") ? alerts.get("rowErrorPercentAbove").asDouble() : null,
                        alerts.path("onSuccess").asBoolean(), alerts.path("onNoRowsChanged").asBoolean()))
                .keepFailedRowPayloads(node.path("keepFailedRowPayloads").asBoolean())
                .state(IntegrationState.valueOf(node.path("state").asText()))
                .lastConnectionTest(test == null || test.isNull() ? null : new ConnectionTest(test.path("passed").asBoolean(),
                        test.path("message").asText(), Instant.parse(test.path("testedAt").asText())))
                .build();
    }

    static ObjectNode credentials(Credentials c, SecretSealer sealer) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", c.name());
        node.put("type", c.type());
        ObjectNode settings = node.putObject("settings");
        c.settings().forEach(settings::put);
        ObjectNode secrets = node.putObject("secrets");
        c.secrets().forEach((k, v) -> secrets.put(k, sealer.seal(v)));
        return node;
    }

    static Credentials credentials(JsonNode node, SecretSealer sealer) {
        Credentials.Builder builder = Credentials.builder().name(node.path("name").asText()).type(node.path("type").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("settings").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            builder.setting(e.getKey(), e.getValue().asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("secrets").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            builder.secret(e.getKey(), sealer.unseal(e.getValue().asText()));
        }
        return builder.build();
    }

    /** A run as one JSON object. */
    public static ObjectNode run(RunRecord run) {
        ObjectNode node = JSON.createObjectNode();
        node.put("runId", run.runId());
        node.put("integration", run.integration());
        node.put("kind", run.kind().name());
        node.put("status", run.status().name());
        node.put("rowsRead", run.rowsRead());
        node.put("rowsDelivered", run.rowsDelivered());
        node.put("rowsFailed", run.rowsFailed());
        node.put("rowsSkipped", run.rowsSkipped());
        node.put("lastUpdatedAt", run.lastUpdatedAt() == null ? null : run.lastUpdatedAt().toString());
        node.put("startedAt", run.startedAt().toString());
        if (run.duration() != null) {
            node.put("durationMs", run.duration().toMillis());
        }
        node.put("failure", run.failure());
        return node;
    }

    /** A run from {@link #run(RunRecord)}'s JSON. */
    public static RunRecord run(JsonNode node) {
        return new RunRecord(node.path("runId").asText(), node.path("integration").asText(),
                RunRecord.Kind.valueOf(node.path("kind").asText()), RunStatus.valueOf(node.path("status").asText()),
                node.path("rowsRead").asLong(), node.path("rowsDelivered").asLong(), node.path("rowsFailed").asLong(),
                node.path("rowsSkipped").asLong(), instant(node, "lastUpdatedAt"), Instant.parse(node.path("startedAt").asText()),
                node.hasNonNull("durationMs") ? Duration.ofMillis(node.get("durationMs").asLong()) : null, text(node, "failure"));
    }

    /** A failed row as one JSON object (with its columns and payload when it kept them). */
    public static ObjectNode failedRow(FailedRow row) {
        ObjectNode node = JSON.createObjectNode();
        node.put("integration", row.integration());
        node.put("rowKey", row.rowKey());
        node.put("updatedAt", row.updatedAt() == null ? null : row.updatedAt().toString());
        node.put("identifier", row.identifier());
        node.put("kind", row.kind().name());
        node.put("reason", row.reason());
        node.put("runId", row.runId());
        node.put("recordedAt", row.recordedAt().toString());
        node.put("attempts", row.attempts());
        if (row.row() != null) {
            node.set("row", sourceRow(row.row()));
        }
        return node;
    }

    /** A failed row from {@link #failedRow(FailedRow)}'s JSON. */
    public static FailedRow failedRow(JsonNode node) {
        return new FailedRow(node.path("integration").asText(), node.path("rowKey").asText(), instant(node, "updatedAt"),
                text(node, "identifier"), RowError.Kind.valueOf(node.path("kind").asText()), node.path("reason").asText(),
                node.path("runId").asText(), Instant.parse(node.path("recordedAt").asText()), node.path("attempts").asInt(1),
                node.hasNonNull("row") ? sourceRow(node.get("row")) : null);
    }

    /** A source row's columns as JSON; a text payload stays text, a structured one becomes JSON. */
    public static ObjectNode sourceRow(SourceRow row) {
        ObjectNode node = JSON.createObjectNode();
        node.put("rowKey", row.rowKey());
        node.put("updatedAt", row.updatedAt() == null ? null : row.updatedAt().toString());
        putIfSet(node, "externalId", row.externalId());
        putIfSet(node, "aliasName", row.aliasName());
        putIfSet(node, "aliasLabel", row.aliasLabel());
        putIfSet(node, "brazeId", row.brazeId());
        putIfSet(node, "email", row.email());
        putIfSet(node, "phone", row.phone());
        putIfSet(node, "id", row.id());
        if (row.deleted() != null) {
            node.put("deleted", row.deleted());
        }
        Object payload = row.payload();
        if (payload instanceof String text) {
            node.put("payloadText", text);
        } else if (payload != null) {
            try {
                node.set("payloadJson", JSON.valueToTree(payload));
            } catch (IllegalArgumentException e) {
                // Not convertible: keep its text form, and the retry reports the row as the first run did.
                node.put("payloadText", String.valueOf(payload));
            }
        }
        return node;
    }

    /** A source row from {@link #sourceRow(SourceRow)}'s JSON. */
    public static SourceRow sourceRow(JsonNode node) {
        Object payload = node.hasNonNull("payloadText") ? node.get("payloadText").asText()
                : node.hasNonNull("payloadJson") ? node.get("payloadJson") : null;
        return SourceRow.builder().rowKey(text(node, "rowKey")).updatedAt(instant(node, "updatedAt"))
                .externalId(text(node, "externalId")).aliasName(text(node, "aliasName")).aliasLabel(text(node, "aliasLabel"))
                .brazeId(text(node, "brazeId")).email(text(node, "email")).phone(text(node, "phone")).id(text(node, "id"))
                .deleted(node.hasNonNull("deleted") ? node.get("deleted").asBoolean() : null).payload(payload).build();
    }

    /** Compact JSON text. */
    public static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }
}
