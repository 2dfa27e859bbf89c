package io.cdisync.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
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
 * The catalogs of {@link FakeBraze} and the contract of Braze's asynchronous bulk catalog item endpoints
 * ({@code POST|PUT|PATCH|DELETE /catalogs/{catalog}/items}), as Braze answers them: any invalid item makes
 * the whole request 400 and nothing of it is written; success is 202 {@code {"message": "success"}}.
 * Thread-safe: each catalog is guarded by its own lock.
 */
final class FakeBrazeCatalogs {
    /** Most items Braze accepts in one request. */
    static final int MAX_ITEMS_PER_REQUEST = 50;
    /** Longest item id Braze accepts. */
    static final int MAX_ID_LENGTH = 250;
    /** Longest string value Braze accepts in an item. */
    static final int MAX_VALUE_LENGTH = 5_000;
    /** Deepest nesting of value objects Braze accepts. */
    static final int MAX_NESTING = 50;

    private static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9_-]+");

    private static final class Catalog {
        final Map<String, ObjectNode> items = new LinkedHashMap<>();
        /** The declared fields (without {@code id}), or null: any field is accepted. */
        final Set<String> fields;
        int maxItems = Integer.MAX_VALUE;

        Catalog(Set<String> fields) {
            this.fields = fields;
        }
    }

    private final Map<String, Catalog> catalogs = new ConcurrentHashMap<>();

    /** Creates {@code name} accepting any field, unless it exists. */
    void create(String name) {
        requireName(name);
        catalogs.computeIfAbsent(name, n -> new Catalog(null));
    }

    /** Creates {@code name} with exactly {@code fields} (besides {@code id}), unless it exists. */
    void create(String name, Collection<String> fields) {
        requireName(name);
        Objects.requireNonNull(fields, "fields");
        Set<String> declared = new LinkedHashSet<>();
        for (String field : fields) {
            if (field == null || field.isBlank()) {
                throw new IllegalArgumentException("Catalog '" + name + "': field names must be non-blank");
            }
            if (!field.equals("id")) {
                declared.add(field);
            }
        }
        Catalog created = new Catalog(Collections.unmodifiableSet(declared));
        Catalog existing = catalogs.putIfAbsent(name, created);
        if (existing != null && !Objects.equals(existing.fields, created.fields)) {
            throw new IllegalArgumentException("Catalog '" + name + "' already exists with other fields");
        }
    }

    /** Whether catalog {@code name} exists. */
    boolean exists(String name) {
        return catalogs.containsKey(name);
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

    /** Empties every catalog (catalogs, their fields and their limits stay). */
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
            return FakeBrazeCatalogErrors.catalogNotFound(name);
        }
        FakeBrazeCatalogErrors errors = new FakeBrazeCatalogErrors();
        JsonNode items = body.get("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            errors.request("item-array-invalid");
            return errors.response();
        }
        if (items.size() > MAX_ITEMS_PER_REQUEST) {
            errors.request("request-includes-too-many-items");
            return errors.response();
        }
        boolean delete = method.equals("DELETE");
        List<ObjectNode> valid = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode item : items) {
            if (!item.isObject()) {
                errors.request("item-array-invalid");
                continue;
            }
            if (checkId(item.get("id"), errors, seen)) {
                valid.add((ObjectNode) item);
            }
            if (!delete) {
                checkFields(catalog.fields, (ObjectNode) item, errors);
            }
        }
        synchronized (catalog) {
            if (errors.isEmpty() && method.equals("PATCH")) {
                for (ObjectNode item : valid) {
                    if (!catalog.items.containsKey(item.get("id").textValue())) {
                        errors.item("item-not-found", item.get("id"));
                    }
                }
            }
            if (errors.isEmpty() && !delete) {
                checkLimit(catalog, valid, errors);
            }
            if (!errors.isEmpty()) {
                return errors.response(); // the whole request is refused: nothing written
            }
            for (ObjectNode item : valid) {
                String id = item.get("id").textValue();
                switch (method) {
                    case "PATCH" -> catalog.items.get(id).setAll(item);
                    case "DELETE" -> catalog.items.remove(id);
                    default -> catalog.items.put(id, item);
                }
            }
        }
        return FakeBrazeResponse.json(202, FakeBrazeJson.message("success"));
    }

    /** Whether {@code id} is a valid id not yet seen in the request; notes its error if not. */
    private static boolean checkId(JsonNode id, FakeBrazeCatalogErrors errors, Set<String> seen) {
        if (id == null || id.isNull()) {
            errors.missingId();
            return false;
        }
        if (!id.isTextual()) {
            errors.item("ids-not-strings", id);
            return false;
        }
        String text = id.textValue();
        if (text.length() > MAX_ID_LENGTH) {
            errors.item("ids-too-large", id);
        } else if (!ITEM_ID.matcher(text).matches()) {
            errors.item("invalid-ids", id);
        } else if (!seen.add(text)) {
            errors.item("ids-not-unique", id);
        } else {
            return true;
        }
        return false;
    }

    private static void checkFields(Set<String> declared, ObjectNode item, FakeBrazeCatalogErrors errors) {
        JsonNode id = item.path("id");
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (name.equals("id")) {
                continue;
            }
            boolean unknown = declared == null
                    ? name.isEmpty() || name.contains(".") || name.contains("$")
                    : !declared.contains(name);
            if (unknown) {
                errors.item("invalid-fields", id);
            }
            String valueProblem = valueProblem(field.getValue(), 1);
            if (valueProblem != null) {
                errors.item(valueProblem, id);
            }
        }
    }

    /** The code of what Braze refuses in a field value, or null. */
    private static String valueProblem(JsonNode value, int depth) {
        if (value.isTextual()) {
            return value.textValue().length() > MAX_VALUE_LENGTH ? "items-too-large" : null;
        }
        if (!value.isContainerNode()) {
            return null;
        }
        if (depth > MAX_NESTING) {
            return "too-deep-nesting-in-value-object";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().contains(".") || field.getKey().contains("$")) {
                return "invalid-keys-in-value-object";
            }
            String problem = valueProblem(field.getValue(), depth + 1);
            if (problem != null) {
                return problem;
            }
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                String problem = valueProblem(element, depth + 1);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static void checkLimit(Catalog catalog, List<ObjectNode> valid, FakeBrazeCatalogErrors errors) {
        Set<String> newIds = new LinkedHashSet<>();
        for (ObjectNode item : valid) {
            String id = item.get("id").textValue();
            if (!catalog.items.containsKey(id)) {
                newIds.add(id);
            }
        }
        if ((long) catalog.items.size() + newIds.size() > catalog.maxItems) {
            for (ObjectNode item : valid) {
                if (newIds.contains(item.get("id").textValue())) {
                    errors.item("catalog-item-limit-exceeded", item.get("id"));
                }
            }
        }
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
