package io.cdisync.testkit;

import static io.cdisync.testkit.FakeBrazeJson.MAPPER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The catalogs of {@link FakeBraze} and the contract of Braze's bulk catalog item endpoints
 * ({@code POST|PUT|PATCH|DELETE /catalogs/{catalog}/items}). Thread-safe: each catalog is guarded
 * by its own lock.
 */
final class FakeBrazeCatalogs {
    /** Most items Braze accepts in one request. */
    static final int MAX_ITEMS_PER_REQUEST = 50;

    private static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9_-]{1,250}");

    private static final class Catalog {
        final Map<String, ObjectNode> items = new LinkedHashMap<>();
        int maxItems = Integer.MAX_VALUE;
    }

    private final Map<String, Catalog> catalogs = new ConcurrentHashMap<>();

    /** Creates {@code name} unless it exists. */
    void create(String name) {
        requireName(name);
        catalogs.computeIfAbsent(name, n -> new Catalog());
    }

    /** Limits the item count of existing catalog {@code name}. */
    void limit(String name, int maxItems) {
        if (maxItems < 0) {
            throw new IllegalArgumentException("maxItems must be >= 0, was " + maxItems);
        }
        Catalog catalog = existing(name);
        synchronized (catalog) {
            catalog.maxItems = maxItems;
        }
    }

    /** Deep copies of the items of {@code name}, by id, in insertion order. */
    Map<String, ObjectNode> items(String name) {
        Catalog catalog = existing(name);
        Map<String, ObjectNode> copy = new LinkedHashMap<>();
        synchronized (catalog) {
            catalog.items.forEach((id, item) -> copy.put(id, item.deepCopy()));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Empties every catalog (catalogs and their limits stay). */
    void clearItems() {
        for (Catalog catalog : catalogs.values()) {
            synchronized (catalog) {
                catalog.items.clear();
            }
        }
    }

    /** Answers a bulk item write of {@code method} to catalog {@code name}. */
    FakeBrazeResponse handle(String method, String name, ObjectNode body) {
        Catalog catalog = catalogs.get(name);
        if (catalog == null) {
            return FakeBrazeResponse.message(404, "Catalog not found");
        }
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) {
            return FakeBrazeResponse.message(400, "'items' must be an array of item objects");
        }
        if (items.isEmpty()) {
            return FakeBrazeResponse.message(400, "'items' must not be empty");
        }
        if (items.size() > MAX_ITEMS_PER_REQUEST) {
            return FakeBrazeResponse.message(400, "Too many items in the request (" + items.size()
                    + "), max " + MAX_ITEMS_PER_REQUEST);
        }
        boolean delete = method.equals("DELETE");
        ArrayNode errors = MAPPER.createArrayNode();
        List<ObjectNode> valid = new ArrayList<>();
        for (JsonNode item : items) {
            String problem = problem(item, delete);
            if (problem == null) {
                valid.add((ObjectNode) item);
            } else {
                error(errors, item.isObject() ? item.get("id") : null, problem);
            }
        }
        synchronized (catalog) {
            if (method.equals("PATCH")) {
                for (Iterator<ObjectNode> it = valid.iterator(); it.hasNext(); ) {
                    ObjectNode item = it.next();
                    if (!catalog.items.containsKey(item.get("id").textValue())) {
                        error(errors, item.get("id"), "item-not-found");
                        it.remove();
                    }
                }
            }
            if (valid.isEmpty()) {
                ObjectNode answer = FakeBrazeJson.message("No valid items in the request");
                answer.set("errors", errors);
                return FakeBrazeResponse.json(400, answer);
            }
            if (!delete) {
                Set<String> newIds = new LinkedHashSet<>();
                for (ObjectNode item : valid) {
                    String id = item.get("id").textValue();
                    if (!catalog.items.containsKey(id)) {
                        newIds.add(id);
                    }
                }
                if ((long) catalog.items.size() + newIds.size() > catalog.maxItems) {
                    ArrayNode limitErrors = MAPPER.createArrayNode();
                    newIds.forEach(id -> limitErrors.addObject()
                            .put("id", id).put("message", "catalog-item-limit-exceeded"));
                    ObjectNode answer = FakeBrazeJson.message("Catalog item limit reached");
                    answer.set("errors", limitErrors);
                    return FakeBrazeResponse.json(400, answer);
                }
            }
            for (ObjectNode item : valid) {
                String id = item.get("id").textValue();
                switch (method) {
                    case "PATCH":
                        catalog.items.get(id).setAll(item);
                        break;
                    case "DELETE":
                        catalog.items.remove(id);
                        break;
                    default:
                        catalog.items.put(id, item);
                        break;
                }
            }
        }
        ObjectNode answer = FakeBrazeJson.message("success");
        if (!errors.isEmpty()) {
            answer.set("errors", errors);
        }
        return FakeBrazeResponse.json(202, answer);
    }

    private static String problem(JsonNode item, boolean delete) {
        if (item == null || !item.isObject()) {
            return "item-must-be-an-object";
        }
        JsonNode id = item.get("id");
        if (id == null || !id.isTextual() || !ITEM_ID.matcher(id.textValue()).matches()) {
            return "invalid-id";
        }
        if (!delete) {
            for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (field.isEmpty() || field.contains(".") || field.contains("$")) {
                    return "invalid-fields";
                }
            }
        }
        return null;
    }

    private static void error(ArrayNode errors, JsonNode id, String message) {
        ObjectNode error = errors.addObject();
        if (id == null || id.isNull()) {
            error.putNull("id");
        } else {
            error.set("id", id.deepCopy());
        }
        error.put("message", message);
    }

    private Catalog existing(String name) {
        Catalog catalog = catalogs.get(requireName(name));
        if (catalog == null) {
            throw new IllegalArgumentException("No catalog named '" + name + "'; create it with createCatalog first");
        }
        return catalog;
    }

    private static String requireName(String name) {
        Objects.requireNonNull(name, "catalog name");
        if (name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException("Invalid catalog name '" + name + "'");
        }
        return name;
    }
}
