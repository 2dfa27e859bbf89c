package io.cdisync.testkit;

import static io.cdisync.testkit.FakeBrazeJson.MAPPER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The contract of Braze's {@code POST /users/track} once the request got past authentication, rate
 * limiting and fault injection, with a JSON object body, as recorded: 201 with {@code *_processed}
 * counts (only for arrays with an object processed) and {@code errors: [{type, input_array, index}]}
 * for the objects refused; 400 with the same errors when no object is valid. Thread-safe.
 */
final class FakeBrazeTrackHandler {
    /** Most objects Braze accepts in each of the three arrays. */
    static final int MAX_OBJECTS_PER_ARRAY = 75;
    /** Braze's answer to a request without any valid object. */
    static final String NO_VALID_DATA =
            "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";
    /** Braze's answer to a request with too many objects (braze_docs_fatal_errors.txt). */
    static final String TOO_MANY = "Max Input Length Exceeded";

    private static final List<String> ARRAYS = List.of("attributes", "events", "purchases");

    /**
     * A test's rule refusing some objects.
     *
     * @param predicate which objects to refuse
     * @param message   the error to report for them
     */
    record Rule(Predicate<ObjectNode> predicate, String message) {
    }

    private final FakeBrazeRecorder recorder;
    private final FakeBrazeUsers users;
    /** Most objects of the three arrays together, or 0 for Braze's default (75 per array). */
    private final int combinedLimit;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    FakeBrazeTrackHandler(FakeBrazeRecorder recorder, FakeBrazeUsers users, int combinedLimit) {
        this.recorder = recorder;
        this.users = users;
        this.combinedLimit = combinedLimit;
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
                return FakeBrazeResponse.message(400, TOO_MANY);
            }
            arrays.put(name, (ArrayNode) node);
            total += node.size();
        }
        if (total == 0) {
            return FakeBrazeResponse.message(400, NO_VALID_DATA);
        }
        if (combinedLimit > 0 && total > combinedLimit) {
            return FakeBrazeResponse.message(400, TOO_MANY);
        }

        ArrayNode errors = MAPPER.createArrayNode();
        Map<String, List<ObjectNode>> valid = new LinkedHashMap<>();
        int validCount = 0;
        for (Map.Entry<String, ArrayNode> entry : arrays.entrySet()) {
            String name = entry.getKey();
            List<ObjectNode> ok = new ArrayList<>();
            ArrayNode array = entry.getValue();
            for (int index = 0; index < array.size(); index++) {
                JsonNode element = array.get(index);
                String problem = FakeBrazeTrackChecks.problem(name, element);
                if (problem == null) {
                    problem = ruleMessage((ObjectNode) element);
                }
                if (problem == null) {
                    ok.add((ObjectNode) element);
                } else {
                    errors.addObject().put("type", problem).put("input_array", name).put("index", index);
                }
            }
            valid.put(name, ok);
            validCount += ok.size();
        }
        if (validCount == 0) {
            ObjectNode answer = FakeBrazeJson.message(NO_VALID_DATA);
            answer.set("errors", errors);
            return FakeBrazeResponse.json(400, answer);
        }
        Map<String, List<ObjectNode>> applied = new LinkedHashMap<>();
        List<ObjectNode> skipped = new ArrayList<>();
        valid.forEach((name, objects) -> {
            List<ObjectNode> kept = new ArrayList<>(objects.size());
            for (ObjectNode object : objects) {
                (users.apply(object) ? kept : skipped).add(object);
            }
            applied.put(name, kept);
        });
        recorder.acceptTrack(
                applied.getOrDefault("attributes", List.of()),
                applied.getOrDefault("events", List.of()),
                applied.getOrDefault("purchases", List.of()));
        recorder.skipUpdateOnly(skipped);

        ObjectNode answer = MAPPER.createObjectNode();
        valid.forEach((name, ok) -> {
            if (!ok.isEmpty()) {
                answer.put(name + "_processed", ok.size());
            }
        });
        answer.put("message", "success");
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
}
