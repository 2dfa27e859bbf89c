package io.cdisync.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link FakeBraze} answers to one request: a status with a JSON body and extra headers, or
 * (when {@code drop}) no answer at all, the connection being closed.
 */
record FakeBrazeResponse(int status, JsonNode body, Map<String, String> headers, boolean drop) {

    FakeBrazeResponse {
        headers = Map.copyOf(headers);
    }

    /** Answers {@code status} with {@code body}. */
    static FakeBrazeResponse json(int status, JsonNode body) {
        return new FakeBrazeResponse(status, body, Map.of(), false);
    }

    /** Answers {@code status} with {@code {"message": message}}. */
    static FakeBrazeResponse message(int status, String message) {
        return json(status, FakeBrazeJson.message(message));
    }

    /** Closes the connection without answering. */
    static FakeBrazeResponse dropConnection() {
        return new FakeBrazeResponse(RecordedBrazeRequest.NO_RESPONSE, null, Map.of(), true);
    }

    /** This response with {@code extra} headers added (replacing same-named ones). */
    FakeBrazeResponse withHeaders(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(extra);
        return new FakeBrazeResponse(status, body, merged, drop);
    }
}
