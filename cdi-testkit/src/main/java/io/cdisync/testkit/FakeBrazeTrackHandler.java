package io.cdisync.testkit;

import static io.cdisync.testkit.FakeBrazeJson.MAPPER;
import static io.cdisync.testkit.FakeBrazeJson.isNonBlankText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The contract of Braze's {@code POST /users/track} once the request got past authentication, rate
 * limiting and fault injection, with a JSON object body. Thread-safe.
 */
final class FakeBrazeTrackHandler {
    /** Most objects Braze accepts in each of the three arrays. */
    static final int MAX_OBJECTS_PER_ARRAY = 75;

    private static final List<String> ARRAYS = List.of("attributes", "events", "purchases");
    private static final List<String> IDENTIFIERS = List.of("external_id", "user_alias", "braze_id", "email", "phone");
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    /**
     * A test's rule refusing some objects.
     *
     * @param predicate which objects to refuse
     * @param message   the error to report for them
     */
    record Rule(Predicate<ObjectNode> predicate, String message) {
    }

    private final FakeBrazeRecorder recorder;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    FakeBrazeTrackHandler(FakeBrazeRecorder recorder) {
        this.recorder = recorder;
    }

    void addRule(Predicate<ObjectNode> predicate, String message) {
        rules.add(new Rule(Objects.requireNonNull(predicate, "predicate"), Objects.requireNonNull(message, "message")));
    }

    void clearRules() {
        rules.clear();
    }

    FakeBrazeResponse handle(ObjectNode body) {
        Map<String, ArrayNode> arrays = new LinkedHashMap<>();
        int total = 0;
        for (String name : ARRAYS) {
            JsonNode node = body.get(name);
            if (node == null || node.isNull()) {
                continue;
            }
            if (!node.isArray()) {
                return FakeBrazeResponse.message(400, "'" + name + "' must be an array of objects");
            }
            if (node.size() > MAX_OBJECTS_PER_ARRAY) {
                return FakeBrazeResponse.message(400, "Too many " + name + " in the request (" + node.size()
                        + "), max " + MAX_OBJECTS_PER_ARRAY);
            }
            arrays.put(name, (ArrayNode) node);
            total += node.size();
        }
        if (total == 0) {
            return FakeBrazeResponse.message(400,
                    "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.");
        }

        ArrayNode errors = MAPPER.createArrayNode();
        Map<String, List<ObjectNode>> accepted = new LinkedHashMap<>();
        for (Map.Entry<String, ArrayNode> entry : arrays.entrySet()) {
            String name = entry.getKey();
            List<ObjectNode> ok = new ArrayList<>();
            ArrayNode array = entry.getValue();
            for (int index = 0; index < array.size(); index++) {
                JsonNode element = array.get(index);
                String problem = problem(name, element);
                if (problem == null) {
                    problem = ruleMessage((ObjectNode) element);
                }
                if (problem == null) {
                    ok.add((ObjectNode) element);
                } else {
                    errors.addObject().put("type", problem).put("input_array", name).put("index", index);
                }
            }
            accepted.put(name, ok);
        }
        recorder.acceptTrack(
                accepted.getOrDefault("attributes", List.of()),
                accepted.getOrDefault("events", List.of()),
                accepted.getOrDefault("purchases", List.of()));

        ObjectNode answer = FakeBrazeJson.message("success");
        accepted.forEach((name, ok) -> answer.put(name + "_processed", ok.size()));
        if (!errors.isEmpty()) {
            answer.set("errors", errors);
        }
        return FakeBrazeResponse.json(201, answer);
    }

    private String ruleMessage(ObjectNode object) {
        for (Rule rule : rules) {
            if (rule.predicate().test(object)) {
                return rule.message();
            }
        }
        return null;
    }

    /** Why Braze would refuse {@code element} of array {@code arrayName}, or null if it would not. */
    private static String problem(String arrayName, JsonNode element) {
        if (element == null || !element.isObject()) {
            return "Each item in '" + arrayName + "' must be a JSON object";
        }
        String identifierProblem = identifierProblem(element);
        if (identifierProblem != null) {
            return identifierProblem;
        }
        JsonNode updateExistingOnly = element.get("_update_existing_only");
        if (updateExistingOnly != null && !updateExistingOnly.isBoolean()) {
            return "'_update_existing_only' must be a boolean";
        }
        switch (arrayName) {
            case "events":
                if (!isNonBlankText(element.get("name"))) {
                    return "Event 'name' is required and must be a non-empty string";
                }
                return timeProblem(element);
            case "purchases":
                if (!isNonBlankText(element.get("product_id"))) {
                    return "Purchase 'product_id' is required and must be a non-empty string";
                }
                JsonNode currency = element.get("currency");
                if (currency == null || !currency.isTextual() || !CURRENCY.matcher(currency.textValue()).matches()) {
                    return "Purchase 'currency' is required and must be a three-letter ISO 4217 code";
                }
                JsonNode price = element.get("price");
                if (price == null || !price.isNumber()) {
                    return "Purchase 'price' is required and must be a number";
                }
                return timeProblem(element);
            default:
                return null;
        }
    }

    private static String identifierProblem(JsonNode object) {
        if (object.size() > 0 && onlyExternalId(object)) {
            return isNonBlankText(object.get("external_id")) ? null : "'external_id' must be a non-empty string";
        }
        List<String> present = new ArrayList<>();
        for (String identifier : IDENTIFIERS) {
            if (object.hasNonNull(identifier)) {
                present.add(identifier);
            }
        }
        if (present.isEmpty()) {
            return "A user identifier is required: one of 'external_id', 'user_alias', 'braze_id', 'email' or 'phone'";
        }
        if (present.size() > 1 && !present.equals(List.of("email", "phone"))) {
            return "Only one user identifier is allowed per object, got " + String.join(", ", present);
        }
        for (String identifier : present) {
            JsonNode value = object.get(identifier);
            if (identifier.equals("user_alias")) {
                if (!FakeBrazeJson.isUserAlias(value)) {
                    return "'user_alias' must be an object with non-empty string 'alias_name' and 'alias_label'";
                }
            } else if (!isNonBlankText(value)) {
                return "'" + identifier + "' must be a non-empty string";
            }
        }
        return null;
    }

    /** The common case, checked without building the list of identifiers present. */
    private static boolean onlyExternalId(JsonNode object) {
        return object.hasNonNull("external_id") && !object.hasNonNull("user_alias") && !object.hasNonNull("braze_id")
                && !object.hasNonNull("email") && !object.hasNonNull("phone");
    }

    private static String timeProblem(JsonNode object) {
        JsonNode time = object.get("time");
        if (time == null || !time.isTextual()) {
            return "'time' is required and must be an ISO 8601 date-time string";
        }
        try {
            DateTimeFormatter.ISO_DATE_TIME.parse(time.textValue());
            return null;
        } catch (DateTimeParseException e) {
            return "'time' is not a valid ISO 8601 date-time";
        }
    }
}
