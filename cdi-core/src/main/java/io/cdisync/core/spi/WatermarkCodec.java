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
}
