package io.cdisync.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeLimits;
import io.cdisync.core.RowError;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Braze's payload rules per data type (contract section 3), checked before anything is sent. */
final class PayloadRules {
    /** Keys that name a user; they belong in the identifier columns, never in PAYLOAD. */
    static final Set<String> IDENTIFIER_KEYS = Set.of("external_id", "user_alias", "braze_id");
    private static final Set<String> EVENT_KEYS = Set.of("name", "time", "app_id", "properties");
    private static final Set<String> PURCHASE_KEYS = Set.of("product_id", "currency", "price", "time", "quantity", "app_id",
            "properties");
    private static final Pattern CATALOG_ID = Pattern.compile("[A-Za-z0-9_-]{1,250}");
    private static final int MAX_KEY_LENGTH = 255;

    private PayloadRules() {
    }

    static void attributes(ObjectNode payload) throws InvalidRow {
        if (payload.size() > BrazeLimits.MAX_ATTRIBUTES_PER_OBJECT) {
            throw invalid("PAYLOAD has " + payload.size() + " attributes; Braze accepts at most "
                    + BrazeLimits.MAX_ATTRIBUTES_PER_OBJECT + " per row");
        }
        noIdentifierKeys(payload);
    }

    static void event(ObjectNode payload, Instant updatedAt) throws InvalidRow {
        noIdentifierKeys(payload);
        onlyKnownKeys(payload, EVENT_KEYS, "an event");
        JsonNode name = payload.get("name");
        if (name == null || name.isNull()) {
            throw invalid("field 'name' is missing; an event needs a name");
        }
        if (!name.isTextual() || name.asText().isBlank()) {
            throw invalid("field 'name' must be a non-empty string");
        }
        time(payload, updatedAt);
        appIdAndProperties(payload);
    }

    static void purchase(ObjectNode payload, Instant updatedAt) throws InvalidRow {
        noIdentifierKeys(payload);
        onlyKnownKeys(payload, PURCHASE_KEYS, "a purchase");
        JsonNode productId = payload.get("product_id");
        if (productId == null || productId.isNull()) {
            throw invalid("field 'product_id' is missing; a purchase needs one");
        }
        if (!productId.isTextual() || productId.asText().isBlank() || productId.asText().length() > MAX_KEY_LENGTH) {
            throw invalid("field 'product_id' must be a non-empty string of at most " + MAX_KEY_LENGTH + " characters");
        }
        JsonNode currency = payload.get("currency");
        if (currency == null || currency.isNull()) {
            throw invalid("field 'currency' is missing; give an ISO 4217 code such as \"USD\"");
        }
        if (!currency.isTextual() || !isIsoCurrency(currency.asText())) {
            throw invalid("field 'currency' is " + currency + "; give a three-letter ISO 4217 code such as \"USD\"");
        }
        JsonNode price = payload.get("price");
        if (price == null || price.isNull()) {
            throw invalid("field 'price' is missing; a purchase needs a price");
        }
        if (!price.isNumber()) {
            throw invalid("field 'price' is " + kind(price) + "; it must be a number");
        }
        JsonNode quantity = payload.get("quantity");
        if (quantity != null && (!quantity.isIntegralNumber() || quantity.asLong() < 1 || quantity.asLong() > 100)) {
            throw invalid("field 'quantity' is " + quantity + "; it must be a whole number from 1 to 100");
        }
        time(payload, updatedAt);
        appIdAndProperties(payload);
    }

    static void catalogId(String id) throws InvalidRow {
        if (id == null) {
            throw new InvalidRow(RowError.Kind.INVALID_IDENTIFIER, "ID is NULL; every catalog item needs an id");
        }
        if (!CATALOG_ID.matcher(id).matches()) {
            throw new InvalidRow(RowError.Kind.INVALID_IDENTIFIER, "ID '" + abbreviate(id) + "' is invalid; an item id is 1 to 250"
                    + " letters, digits, '-' or '_' (" + id.length() + " characters given)");
        }
    }

    static void catalogItem(ObjectNode payload) throws InvalidRow {
        if (payload.has("id")) {
            throw invalid("PAYLOAD carries 'id'; the item id belongs in the ID column");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = payload.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (key.isEmpty() || key.contains(".") || key.contains("$")) {
                throw invalid("field '" + abbreviate(key) + "' is not a valid catalog field name; names must be non-empty"
                        + " and contain no '.' or '$'");
            }
            JsonNode value = field.getValue();
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (element.isArray()) {
                        throw invalid("field '" + key + "' is an array of arrays; catalog fields hold strings, numbers,"
                                + " booleans, times, arrays of values or objects");
                    }
                }
            }
        }
    }

    private static void time(ObjectNode payload, Instant updatedAt) throws InvalidRow {
        JsonNode time = payload.get("time");
        if (time == null || time.isNull()) {
            if (updatedAt == null) {
                throw invalid("field 'time' is missing and the row has no UPDATED_AT to take it from");
            }
            payload.put("time", updatedAt.toString());
            return;
        }
        if (!time.isTextual()) {
            throw invalid("field 'time' is " + kind(time) + "; give an ISO-8601 time such as \"2026-01-31T12:00:00Z\"");
        }
        try {
            OffsetDateTime.parse(time.asText());
        } catch (DateTimeParseException e) {
            try {
                Instant.parse(time.asText());
            } catch (DateTimeParseException again) {
                throw invalid("field 'time' is \"" + abbreviate(time.asText()) + "\", not an ISO-8601 time with an offset"
                        + " (such as \"2026-01-31T12:00:00Z\")");
            }
        }
    }

    private static void appIdAndProperties(ObjectNode payload) throws InvalidRow {
        JsonNode appId = payload.get("app_id");
        if (appId != null && !appId.isNull() && !appId.isTextual()) {
            throw invalid("field 'app_id' must be a string");
        }
        JsonNode properties = payload.get("properties");
        if (properties == null || properties.isNull()) {
            return;
        }
        if (!properties.isObject()) {
            throw invalid("field 'properties' is " + kind(properties) + "; it must be an object");
        }
        Iterator<String> names = properties.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.length() > MAX_KEY_LENGTH) {
                throw invalid("property key '" + abbreviate(name) + "' is " + name.length() + " characters; at most "
                        + MAX_KEY_LENGTH);
            }
            if (name.startsWith("$")) {
                throw invalid("property key '" + abbreviate(name) + "' starts with '$', which Braze reserves");
            }
        }
    }

    private static void noIdentifierKeys(ObjectNode payload) throws InvalidRow {
        for (String key : IDENTIFIER_KEYS) {
            if (payload.has(key)) {
                throw new InvalidRow(RowError.Kind.INVALID_IDENTIFIER, "PAYLOAD carries the identifier key '" + key
                        + "'; identifiers belong in their own columns");
            }
        }
    }

    private static void onlyKnownKeys(ObjectNode payload, Set<String> known, String what) throws InvalidRow {
        Iterator<String> names = payload.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name) && !name.equals("_update_existing_only")) {
                throw invalid("field '" + abbreviate(name) + "' is not part of " + what + "; allowed: " + new java.util.TreeSet<>(known)
                        + (what.equals("an event") ? " (custom data goes in 'properties')" : ""));
            }
        }
    }

    private static boolean isIsoCurrency(String code) {
        if (code.length() != 3) {
            return false;
        }
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String kind(JsonNode node) {
        return node.isTextual() ? "a string" : node.isNumber() ? "a number" : node.isBoolean() ? "a boolean"
                : node.isArray() ? "an array" : node.isObject() ? "an object" : "null";
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static InvalidRow invalid(String reason) {
        return new InvalidRow(RowError.Kind.INVALID_PAYLOAD, reason);
    }
}
