package io.cdisync.testkit;

import static io.cdisync.testkit.FakeBrazeJson.MAPPER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The errors of one refused catalog request, in Braze's shape (recorded in
 * {@code braze_docs_catalog_items_400_invalid_fields.json}): {@code {"errors": [{"id": <code>,
 * "message": ..., "parameters": [...], "parameter_values": [...]}], "message": "Invalid Request"}},
 * one entry per error code naming every item it applies to. Not thread-safe: one per request.
 */
final class FakeBrazeCatalogErrors {
    /** The messages Braze gives for its codes (recorded ones verbatim, the others in the same style). */
    private static final Map<String, String> MESSAGES = Map.ofEntries(
            Map.entry("catalog-not-found", "Could not find catalog"),
            Map.entry("item-array-invalid", "The items given must be an array of objects"),
            Map.entry("request-includes-too-many-items", "The request includes too many items, the most is 50"),
            Map.entry("ids-not-strings", "Some of the item ids given are not strings"),
            Map.entry("ids-too-large", "Some of the item ids given are longer than 250 characters"),
            Map.entry("invalid-ids", "Some of the item ids given have characters other than letters, numbers,"
                    + " hyphens and underscores"),
            Map.entry("ids-not-unique", "Some of the item ids given are not unique in the request"),
            Map.entry("invalid-fields", "Some of the fields given do not exist in the catalog"),
            Map.entry("invalid-keys-in-value-object", "Some of the keys of value objects contain '.' or '$'"),
            Map.entry("items-too-large", "Some of the items given have values longer than 5,000 characters"),
            Map.entry("too-deep-nesting-in-value-object", "Some of the value objects are nested deeper than 50"
                    + " levels"),
            Map.entry("item-not-found", "Item not found"),
            Map.entry("catalog-item-limit-exceeded", "The catalog would hold more items than its limit"));

    private final Map<String, Set<JsonNode>> itemsByCode = new LinkedHashMap<>();
    private int missingIds;

    /** Notes that item {@code id} (any JSON value) has the error {@code code}. */
    void item(String code, JsonNode id) {
        itemsByCode.computeIfAbsent(code, c -> new LinkedHashSet<>()).add(id.deepCopy());
    }

    /** Notes an error {@code code} of the request as a whole, naming no item. */
    void request(String code) {
        itemsByCode.computeIfAbsent(code, c -> new LinkedHashSet<>());
    }

    /** Notes an item without id. */
    void missingId() {
        missingIds++;
        request("items-missing-ids");
    }

    boolean isEmpty() {
        return itemsByCode.isEmpty();
    }

    /** {@return the 400 answer naming every error noted} */
    FakeBrazeResponse response() {
        ObjectNode answer = MAPPER.createObjectNode();
        ArrayNode errors = answer.putArray("errors");
        itemsByCode.forEach((code, ids) -> {
            String message = code.equals("items-missing-ids")
                    ? "There are " + missingIds + " item(s) that do not have ids" : MESSAGES.get(code);
            entry(errors, code, message, ids.isEmpty() ? List.of() : List.of("id"), ids);
        });
        answer.put("message", "Invalid Request");
        return FakeBrazeResponse.json(400, answer);
    }

    /**
     * {@return Braze's {@code catalog-not-found} answer naming {@code catalog}} Braze's item endpoints list
     * 404 for it (braze_docs_catalog_not_found.json).
     */
    static FakeBrazeResponse catalogNotFound(String catalog) {
        ObjectNode answer = MAPPER.createObjectNode();
        entry(answer.putArray("errors"), "catalog-not-found", MESSAGES.get("catalog-not-found"),
                List.of("catalog_name"), Set.of(MAPPER.getNodeFactory().textNode(catalog)));
        answer.put("message", "Invalid Request");
        return FakeBrazeResponse.json(404, answer);
    }

    private static void entry(ArrayNode errors, String code, String message, List<String> parameters,
                              Set<JsonNode> values) {
        ObjectNode error = errors.addObject();
        error.put("id", code);
        error.put("message", message);
        ArrayNode params = error.putArray("parameters");
        parameters.forEach(params::add);
        ArrayNode parameterValues = error.putArray("parameter_values");
        values.forEach(parameterValues::add);
    }
}
