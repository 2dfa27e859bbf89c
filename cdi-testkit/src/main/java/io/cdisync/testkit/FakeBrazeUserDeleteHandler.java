package io.cdisync.testkit;

import static io.cdisync.testkit.FakeBrazeJson.MAPPER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract of Braze's {@code POST /users/delete} once the request got past authentication, rate
 * limiting and fault injection, with a JSON object body: up to 50 identifiers of ONE kind per request
 * ({@code external_ids}, {@code user_aliases}, {@code braze_ids}, {@code email_addresses} or
 * {@code phone_numbers}, braze_docs_users_delete.json), answered 201 {@code {"deleted": N, "message":
 * "success"}} (braze_ruby_delete_201_success.json). Thread-safe.
 */
final class FakeBrazeUserDeleteHandler {
    /** Most identifiers Braze accepts in one request. */
    static final int MAX_IDENTIFIERS = 50;
    static final String ONE_KIND = "Only one of external_ids, user_aliases, braze_ids, email_addresses, or"
            + " phone_numbers can be included in a single request";

    private static final List<String> KINDS =
            List.of("external_ids", "user_aliases", "braze_ids", "email_addresses", "phone_numbers");

    private final FakeBrazeRecorder recorder;
    private final FakeBrazeUsers users;

    FakeBrazeUserDeleteHandler(FakeBrazeRecorder recorder, FakeBrazeUsers users) {
        this.recorder = recorder;
        this.users = users;
    }

    FakeBrazeResponse handle(ObjectNode body) {
        String kind = null;
        for (String name : KINDS) {
            JsonNode node = body.get(name);
            if (node == null || node.isNull()) {
                continue;
            }
            if (!node.isArray()) {
                return FakeBrazeResponse.message(400, "'" + name + "' must be an array");
            }
            if (kind != null) {
                return FakeBrazeResponse.message(400, ONE_KIND);
            }
            kind = name;
        }
        if (kind == null || body.get(kind).isEmpty()) {
            return FakeBrazeResponse.message(400,
                    "Provide users to delete in one of 'external_ids', 'user_aliases', 'braze_ids',"
                            + " 'email_addresses' or 'phone_numbers'");
        }
        JsonNode array = body.get(kind);
        if (array.size() > MAX_IDENTIFIERS) {
            return FakeBrazeResponse.message(400, "The max number of ids per request was exceeded");
        }
        List<ObjectNode> deleted = new ArrayList<>(array.size());
        for (JsonNode value : array) {
            ObjectNode user = user(kind, value);
            if (user == null) {
                return FakeBrazeResponse.message(400, "'" + kind + "' has an invalid entry: " + expected(kind));
            }
            deleted.add(user);
        }
        deleted.forEach(users::delete);
        recorder.acceptDeleted(deleted);
        ObjectNode answer = MAPPER.createObjectNode();
        answer.put("deleted", deleted.size());
        answer.put("message", "success");
        return FakeBrazeResponse.json(201, answer);
    }

    /** The deleted user {@code value} of array {@code kind} names, or null if it is invalid. */
    private static ObjectNode user(String kind, JsonNode value) {
        switch (kind) {
            case "user_aliases":
                if (!FakeBrazeJson.isUserAlias(value)) {
                    return null;
                }
                ObjectNode user = MAPPER.createObjectNode();
                user.putObject("user_alias")
                        .put("alias_name", value.get("alias_name").textValue())
                        .put("alias_label", value.get("alias_label").textValue());
                return user;
            case "email_addresses":
                if (value == null || !value.isObject() || !FakeBrazeJson.isNonBlankText(value.get("email"))) {
                    return null;
                }
                return MAPPER.createObjectNode().put("email", value.get("email").textValue());
            default:
                // Braze accepts integer external ids (braze_ruby_delete_201_success.json)
                boolean integer = kind.equals("external_ids") && value.isIntegralNumber();
                if (!integer && !FakeBrazeJson.isNonBlankText(value)) {
                    return null;
                }
                String key = switch (kind) {
                    case "external_ids" -> "external_id";
                    case "braze_ids" -> "braze_id";
                    default -> "phone";
                };
                return MAPPER.createObjectNode().put(key, value.asText());
        }
    }

    private static String expected(String kind) {
        return switch (kind) {
            case "user_aliases" -> "objects with non-empty string 'alias_name' and 'alias_label' expected";
            case "email_addresses" -> "objects with a non-empty string 'email' expected";
            default -> "non-empty strings expected";
        };
    }
}
