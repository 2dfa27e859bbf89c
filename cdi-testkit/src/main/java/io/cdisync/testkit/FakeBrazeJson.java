package io.cdisync.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON helpers shared by the {@link FakeBraze} classes: one {@link ObjectMapper} for all of them. */
final class FakeBrazeJson {
    /** The one mapper of the fake; thread-safe once configured. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final ObjectReader READER =
            MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FakeBrazeJson() {
    }

    /** Parses a whole body; an empty body gives a {@link MissingNode}. */
    static JsonNode parse(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        JsonNode node = READER.readTree(body);
        return node == null ? MissingNode.getInstance() : node;
    }

    /**
     * Parses a whole UTF-8 body straight from its bytes (no intermediate string: the fake's hot path);
     * an empty or blank body gives a {@link MissingNode}.
     */
    static JsonNode parse(byte[] body) throws java.io.IOException {
        if (body == null || isBlank(body)) {
            return MissingNode.getInstance();
        }
        JsonNode node = READER.readTree(body);
        return node == null ? MissingNode.getInstance() : node;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** {@code {"message": message}}. */
    static ObjectNode message(String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("message", message);
        return node;
    }

    /** Whether {@code node} is a string with at least one non-whitespace character. */
    static boolean isNonBlankText(JsonNode node) {
        return node != null && node.isTextual() && !node.textValue().isBlank();
    }

    /** Whether {@code node} is an object with non-blank {@code alias_name} and {@code alias_label}. */
    static boolean isUserAlias(JsonNode node) {
        return node != null && node.isObject()
                && isNonBlankText(node.get("alias_name"))
                && isNonBlankText(node.get("alias_label"));
    }
}
