package io.cdisync.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One HTTP request that {@link FakeBraze} received, whatever it answered (including rejected,
 * rate-limited, failed and dropped requests). Immutable.
 *
 * <p>The {@code Authorization} header is redacted: its value keeps the scheme only, as in
 * {@code "Bearer ****"}, so that recorded requests can be printed safely.
 *
 * @param method     the HTTP method, e.g. {@code "POST"}
 * @param path       the request path without query, e.g. {@code "/users/track"}
 * @param headers    the request headers, looked up case-insensitively; unmodifiable
 * @param body       the request body as UTF-8 text, empty when there was none
 * @param status     the HTTP status answered, or {@link #NO_RESPONSE} when the connection was dropped
 * @param receivedAt when the request arrived
 */
public record RecordedBrazeRequest(
        String method, String path, Map<String, List<String>> headers, String body, int status, Instant receivedAt) {

    /** The {@link #status()} of a request that got no answer because the fake dropped the connection. */
    public static final int NO_RESPONSE = 0;

    /**
     * Validates and copies the components.
     *
     * @param method     the HTTP method
     * @param path       the request path
     * @param headers    the request headers, copied
     * @param body       the request body
     * @param status     the HTTP status answered, or {@link #NO_RESPONSE}
     * @param receivedAt when the request arrived
     * @throws NullPointerException if a component is null
     */
    public RecordedBrazeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(receivedAt, "receivedAt");
        SortedMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Objects.requireNonNull(headers, "headers").forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableSortedMap(copy);
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, any case
     * @return its first value, or empty when the request did not have it
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * Whether the fake closed the connection instead of answering (see {@link FakeBraze#dropNext(int)}).
     *
     * @return true when {@link #status()} is {@link #NO_RESPONSE}
     */
    public boolean dropped() {
        return status == NO_RESPONSE;
    }

    /**
     * The body parsed as JSON.
     *
     * @return the parsed body; a missing node when the body is empty
     * @throws UncheckedIOException if the body is not valid JSON
     */
    public JsonNode bodyJson() {
        try {
            return FakeBrazeJson.parse(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Request body is not valid JSON", e);
        }
    }

    /**
     * A one-line description without headers or body, e.g. {@code "POST /users/track -> 201"}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return method + " " + path + " -> " + (dropped() ? "dropped" : Integer.toString(status)) + " at " + receivedAt;
    }
}
