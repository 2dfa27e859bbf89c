package io.cdisync.testkit.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Payloads as JSON trees, so a connector may return JSON text, a {@code Map} or a {@code JsonNode} alike. */
final class Payloads {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    static JsonNode json(Object payload) {
        if (payload instanceof String text) {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new AssertionError("payload is not JSON: " + e.getOriginalMessage(), e);
            }
        }
        return JSON.valueToTree(payload);
    }
}
