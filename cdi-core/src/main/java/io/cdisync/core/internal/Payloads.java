package io.cdisync.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.RowError;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** PAYLOAD parsing and the rules every payload obeys, whatever the data type. */
public final class Payloads {
    /** Strict JSON: duplicate keys, trailing tokens, NaN and over-deep nesting are errors, not silently accepted. */
    public static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final java.util.regex.Pattern START_MARKER =
            java.util.regex.Pattern.compile("\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)\\]\\)");

    private Payloads() {
    }

    /**
     * The payload as a JSON object.
     *
     * @param payload  JSON text, a Jackson node or a {@code Map} (a STRUCT/MAP column)
     * @param maxBytes largest size in UTF-8 bytes
     */
    public static ObjectNode parseObject(Object payload, int maxBytes) throws InvalidRow {
        if (payload == null) {
            throw new InvalidRow(RowError.Kind.INVALID_PAYLOAD, "PAYLOAD is NULL; it must be a JSON object");
        }
        if (payload instanceof String text) {
            return parseText(text, maxBytes);
        }
        JsonNode node;
        if (payload instanceof JsonNode json) {
            node = json;
        } else if (payload instanceof Map<?, ?> map) {
            try {
                node = JSON.valueToTree(map);
            } catch (IllegalArgumentException e) {
                throw new InvalidRow(RowError.Kind.INVALID_PAYLOAD, "PAYLOAD map cannot be turned into JSON: " + e.getMessage());
            }
        } else {
            throw new InvalidRow(RowError.Kind.INVALID_PAYLOAD, "PAYLOAD of type " + payload.getClass().getSimpleName()
                    + " is not supported; give JSON text, a JSON value, or a STRUCT/MAP");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidRow(RowError.Kind.INVALID_PAYLOAD, "PAYLOAD is a JSON " + kind(node) + ", not an object");
        }
        int size = node.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw tooLarge(size, maxBytes);
        }
        return object;
    }

    private static ObjectNode parseText(String text, int maxBytes) throws InvalidRow {
        long size = utf8Length(text);
        if (size > maxBytes) {
            throw tooLarge(size, maxBytes);
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidRow(RowError.Kind.INVALID_PAYLOAD, "PAYLOAD is not valid JSON: " + readable(e.getOriginalMessage())
                    + location(e));
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidRow(RowError.Kind.INVALID_PAYLOAD, "PAYLOAD is empty; it must be a JSON object");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidRow(RowError.Kind.INVALID_PAYLOAD, "PAYLOAD is a JSON " + kind(node) + ", not an object");
        }
        return object;
    }

    /**
     * UTF-8 length of a Java string; a lone surrogate (text that cannot be encoded) is an error rather
     * than a silent '?' on the wire.
     */
    static long utf8Length(String text) throws InvalidRow {
        long bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRow(RowError.Kind.INVALID_PAYLOAD, "PAYLOAD holds an unpaired UTF-16 surrogate at character "
                        + i + "; it is not valid Unicode text");
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static InvalidRow tooLarge(long size, int maxBytes) {
        return new InvalidRow(RowError.Kind.INVALID_PAYLOAD, "PAYLOAD is " + size + " bytes; Braze accepts at most "
                + maxBytes + " bytes per row");
    }

    /** Jackson's messages name its input source and settings; keep only what helps a user fix the row. */
    private static String readable(String message) {
        return START_MARKER.matcher(message).replaceAll("(opened at line $1, column $2)");
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
