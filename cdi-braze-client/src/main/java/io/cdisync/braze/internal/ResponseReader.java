package io.cdisync.braze.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeException;
import io.cdisync.braze.BrazeResponse;
import io.cdisync.braze.ObjectError;
import io.cdisync.braze.Secret;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Braze's answer bodies into per-object errors and exception messages, as Braze really sends them
 * (see {@code src/test/resources/braze-recordings}):
 * <ul>
 *   <li>{@code /users/track}: {@code errors: [{type, input_array, index}]}, on a 201 (the other objects were
 *       processed) and on a 400 when no object was valid (nothing was written);</li>
 *   <li>catalog items: {@code errors: [{id: <code>, message, parameters, parameter_values: [<item id> or
 *       {id, ...}]}]} on a 400 that refused the whole request.</li>
 * </ul>
 * Every text taken from Braze is redacted: a 401 echoes the key it was sent.
 */
final class ResponseReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TRACK_ARRAYS = Set.of("attributes", "events", "purchases");
    /** "Invalid API key: <key>": the echoed key, whether or not it is the one this client holds. */
    private static final Pattern ECHOED_KEY = Pattern.compile("(?i)(invalid api key:?\\s*)([^\\s\"]+)");
    private static final String CATALOG_NOT_FOUND = "catalog-not-found";

    private final Secret apiKey;

    ResponseReader(Secret apiKey) {
        this.apiKey = apiKey;
    }

    /** Item id -> index in the request's {@code items} array. */
    static Map<String, Integer> itemIds(ObjectNode body) {
        Map<String, Integer> ids = new HashMap<>();
        JsonNode items = body.path("items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode id = items.get(i).get("id");
            if (id != null && id.isValueNode()) {
                ids.putIfAbsent(id.asText(), i);
            }
        }
        return Map.copyOf(ids);
    }

    /** Braze's text with the API key (ours, or any key Braze echoes) masked. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = ECHOED_KEY.matcher(apiKey.redact(text));
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "****"));
    }

    static JsonNode readTree(String body) {
        try {
            JsonNode root = body == null || body.isBlank() ? null : JSON.readTree(body);
            return root == null ? JSON.createObjectNode() : root;
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    /** A processed answer (2xx): the objects it names were refused, the others accepted. */
    BrazeResponse processed(int status, JsonNode root, Exchange exchange) {
        List<ObjectError> errors = new ArrayList<>();
        for (JsonNode error : root.path("errors")) {
            if (exchange.bucket == BrazeTransport.Bucket.CATALOG && !namedItems(error, exchange).isEmpty()) {
                addItemErrors(error, exchange, errors);
            } else {
                errors.add(new ObjectError(error.path("input_array").asText(
                        exchange.bucket == BrazeTransport.Bucket.CATALOG ? "items" : ""), error.path("index").asInt(-1),
                        null, reason(error)));
            }
        }
        return new BrazeResponse(status, redact(root.path("message").asText("")), errors, exchange.attempts.get(),
                exchange.rateLimitedWaits.get());
    }

    /**
     * A 400 that refused the whole request but names the objects at fault: a {@code /users/track} 400 whose
     * every error names an object ({@code input_array} and {@code index}), or a catalog items 400 whose every error
     * names items of the request in {@code parameter_values}. Null when the 400 names no object (or not only
     * objects): then the request as a whole is at fault.
     */
    BrazeResponse nothingWritten(int status, JsonNode root, Exchange exchange) {
        JsonNode array = root.path("errors");
        if (status != 400 || !array.isArray() || array.isEmpty()) {
            return null;
        }
        List<ObjectError> errors = new ArrayList<>();
        for (JsonNode error : array) {
            if (exchange.bucket == BrazeTransport.Bucket.CATALOG) {
                if (namedItems(error, exchange).isEmpty()) {
                    return null;
                }
                addItemErrors(error, exchange, errors);
            } else if (exchange.bucket == BrazeTransport.Bucket.TRACK) {
                String inputArray = error.path("input_array").asText("");
                int index = error.path("index").asInt(-1);
                if (!TRACK_ARRAYS.contains(inputArray) || index < 0 || !error.path("index").isIntegralNumber()) {
                    return null;
                }
                errors.add(new ObjectError(inputArray, index, null, reason(error)));
            } else {
                return null;
            }
        }
        return new BrazeResponse(status, redact(root.path("message").asText("")), errors, exchange.attempts.get(),
                exchange.rateLimitedWaits.get(), true);
    }

    /**
     * {@code catalog-not-found} (Braze answers it with 400 or 404): a global error naming the catalog, or null
     * when the answer is something else.
     */
    BrazeException.Rejected catalogNotFound(int status, JsonNode root, String body, Exchange exchange, String requestId) {
        if (exchange.bucket != BrazeTransport.Bucket.CATALOG) {
            return null;
        }
        for (JsonNode error : root.path("errors")) {
            if (CATALOG_NOT_FOUND.equals(error.path("id").asText())) {
                String catalog = error.path("parameter_values").path(0).asText("");
                if (catalog.isEmpty()) {
                    String[] segments = exchange.path.split("/");
                    catalog = segments.length > 2 ? URLDecoder.decode(segments[2], StandardCharsets.UTF_8) : "?";
                }
                return new BrazeException.Rejected("Braze has no catalog '" + redact(catalog) + "' (" + status + " "
                        + reason(error) + " to " + exchange.what() + "); create it in Braze or fix the catalog name",
                        status, requestId, redact(body));
            }
        }
        return null;
    }

    /** The request refused as a whole: Braze's message and each error's code and message. */
    BrazeException.Rejected rejected(int status, JsonNode root, String body, Exchange exchange, String requestId) {
        return new BrazeException.Rejected("Braze rejected " + exchange.what() + " with " + status + describe(root),
                status, requestId, redact(body));
    }

    /** {@code ": <message> (<code>: <message>; ...)"}, or empty when the body says nothing. */
    String describe(JsonNode root) {
        String message = root.path("message").asText("");
        StringJoiner reasons = new StringJoiner("; ", " (", ")").setEmptyValue("");
        int shown = 0;
        for (JsonNode error : root.path("errors")) {
            if (shown++ == 5) {
                reasons.add("and " + (root.path("errors").size() - 5) + " more");
                break;
            }
            String where = error.has("input_array") ? error.path("input_array").asText() + "[" + error.path("index").asText()
                    + "] " : "";
            reasons.add(where + reason(error));
        }
        String text = message + reasons;
        return text.isBlank() ? "" : ": " + redact(text.strip());
    }

    /**
     * One error's code and message: {@code type} (track), or {@code id} (catalog code) and {@code message}, plus
     * the other parameters an object in {@code parameter_values} carries.
     */
    String reason(JsonNode error) {
        if (error.isTextual()) {
            return redact(error.asText());
        }
        String code = error.hasNonNull("type") ? error.get("type").asText()
                : error.hasNonNull("id") ? error.get("id").asText() : "";
        String message = error.hasNonNull("message") ? error.get("message").asText() : "";
        String reason = code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
        return redact(reason.isEmpty() ? "rejected by Braze" : reason);
    }

    /** Item ids of this request that the error names in {@code parameter_values}; empty unless all are items. */
    private static List<String> namedItems(JsonNode error, Exchange exchange) {
        JsonNode parameters = error.path("parameters");
        if (parameters.isArray() && !parameters.isEmpty() && !containsText(parameters, "id")) {
            return List.of(); // e.g. catalog-not-found: parameters [catalog_name]
        }
        List<String> items = new ArrayList<>();
        for (JsonNode value : error.path("parameter_values")) {
            String id = value.isObject() ? value.path("id").asText(null) : value.isValueNode() ? value.asText() : null;
            if (id == null || !exchange.itemIds.containsKey(id)) {
                return List.of(); // names something other than an item of this request
            }
            items.add(id);
        }
        return items;
    }

    private void addItemErrors(JsonNode error, Exchange exchange, List<ObjectError> errors) {
        String reason = reason(error);
        for (JsonNode value : error.path("parameter_values")) {
            String id = value.isObject() ? value.path("id").asText() : value.asText();
            errors.add(new ObjectError("items", exchange.itemIds.get(id), id, reason + otherParameters(value)));
        }
    }

    /** " (field: in_stock)" for an object entry {@code {"id": ..., "field": "in_stock"}}; empty otherwise. */
    private String otherParameters(JsonNode value) {
        if (!value.isObject()) {
            return "";
        }
        StringJoiner others = new StringJoiner(", ", " (", ")").setEmptyValue("");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals("id")) {
                others.add(field.getKey() + ": " + (field.getValue().isValueNode() ? field.getValue().asText()
                        : field.getValue().toString()));
            }
        }
        return redact(others.toString());
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode node : array) {
            if (text.equals(node.asText())) {
                return true;
            }
        }
        return false;
    }
}
