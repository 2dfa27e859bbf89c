package io.cdisync.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Text form of a {@link Watermark}, for stores that persist watermarks as JSON (files, a database
 * column). Stable across versions: new kinds add new {@code kind} values.
 */
public final class WatermarkCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WatermarkCodec() {
    }

    /** The watermark as one JSON object. */
    public static String encode(Watermark watermark) {
        ObjectNode root = JSON.createObjectNode();
        if (watermark instanceof TableWatermark table) {
            root.put("kind", "table");
            root.put("updatedAt", table.updatedAt().toString());
            ArrayNode edge = root.putArray("edge");
            for (TableWatermark.DeliveredRow row : table.edge()) {
                edge.addArray().add(row.updatedAt().toString()).add(row.fingerprint());
            }
        } else if (watermark instanceof FileLedger ledger) {
            root.put("kind", "files");
            if (ledger.since() != null) {
                root.put("since", ledger.since().toString());
            }
            ArrayNode files = root.putArray("files");
            for (FileLedger.ProcessedFile file : ledger.files()) {
                ObjectNode entry = files.addObject().put("key", file.key()).put("etag", file.etag()).put("size", file.size());
                if (file.skipped() != null) {
                    entry.put("skipped", file.skipped());
                }
            }
            FileLedger.FilePosition current = ledger.current();
            if (current != null) {
                root.putObject("current").put("key", current.key()).put("etag", current.etag()).put("size", current.size())
                        .put("records", current.records());
            }
        }
        return root.toString();
    }

    /**
     * Parses {@link #encode(Watermark)}'s output.
     *
     * @throws IllegalArgumentException when the text is not a watermark
     */
    public static Watermark decode(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            String kind = root.path("kind").asText("");
            if (kind.equals("files")) {
                return decodeLedger(root);
            }
            if (!kind.equals("table")) {
                throw new IllegalArgumentException("unknown watermark kind '" + kind + "'");
            }
            List<TableWatermark.DeliveredRow> edge = new ArrayList<>();
            for (JsonNode row : root.path("edge")) {
                edge.add(new TableWatermark.DeliveredRow(Instant.parse(row.path(0).asText()), row.path(1).asText()));
            }
            return new TableWatermark(Instant.parse(root.path("updatedAt").asText()), edge);
        } catch (IOException | DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("not a watermark: " + e.getMessage(), e);
        }
    }

    private static FileLedger decodeLedger(JsonNode root) {
        Instant since = root.hasNonNull("since") ? Instant.parse(root.get("since").asText()) : null;
        List<FileLedger.ProcessedFile> files = new ArrayList<>();
        for (JsonNode file : root.path("files")) {
            files.add(new FileLedger.ProcessedFile(text(file, "key"), text(file, "etag"), file.path("size").asLong(),
                    file.hasNonNull("skipped") ? file.get("skipped").asText() : null));
        }
        JsonNode current = root.get("current");
        FileLedger.FilePosition position = current == null || current.isNull() ? null
                : new FileLedger.FilePosition(text(current, "key"), text(current, "etag"), current.path("size").asLong(),
                        current.path("records").asLong());
        return new FileLedger(since, files, position);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("not a watermark: '" + field + "' is missing");
        }
        return value.asText();
    }
}
