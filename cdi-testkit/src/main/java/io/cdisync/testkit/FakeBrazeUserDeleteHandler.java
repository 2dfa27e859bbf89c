package io.cdisync.testkit;

import static io.cdisync.testkit.FakeBrazeJson.MAPPER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract of Braze's {@code POST /users/delete} once the request got past authentication, rate
 * limiting and fault injection, with a JSON object body. Thread-safe.
 */
final class FakeBrazeUserDeleteHandler {
    /** Most identifiers Braze accepts in one request, all arrays together. */
    static final int MAX_IDENTIFIERS = 50;

    private final FakeBrazeRecorder recorder;

    FakeBrazeUserDeleteHandler(FakeBrazeRecorder recorder) {
        this.recorder = recorder;
    }

    FakeBrazeResponse handle(ObjectNode body) {
        JsonNode externalIds = body.get("external_ids");
        JsonNode userAliases = body.get("user_aliases");
        JsonNode brazeIds = body.get("braze_ids");
        for (String name : List.of("external_ids", "user_aliases", "braze_ids")) {
            JsonNode node = body.get(name);
            if (node != null && !node.isNull() && !node.isArray()) {
                return FakeBrazeResponse.message(400, "'" + name + "' must be an array");
            }
        }
        int total = size(externalIds) + size(userAliases) + size(brazeIds);
        if (total > MAX_IDENTIFIERS) {
            return FakeBrazeResponse.message(400, "Too many users to delete in one request (" + total
                    + "), max " + MAX_IDENTIFIERS);
        }
        if (total == 0) {
            return FakeBrazeResponse.message(400,
                    "Provide users to delete in 'external_ids', 'user_aliases' or 'braze_ids'");
        }
        List<ObjectNode> users = new ArrayList<>(total);
        if (!strings(externalIds, "external_id", users)) {
            return FakeBrazeResponse.message(400, "'external_ids' must contain non-empty strings only");
        }
        if (userAliases != null) {
            for (JsonNode alias : userAliases) {
                if (!FakeBrazeJson.isUserAlias(alias)) {
                    return FakeBrazeResponse.message(400, "'user_aliases' must contain objects with non-empty "
                            + "string 'alias_name' and 'alias_label'");
                }
                ObjectNode user = MAPPER.createObjectNode();
                user.putObject("user_alias")
                        .put("alias_name", alias.get("alias_name").textValue())
                        .put("alias_label", alias.get("alias_label").textValue());
                users.add(user);
            }
        }
        if (!strings(brazeIds, "braze_id", users)) {
            return FakeBrazeResponse.message(400, "'braze_ids' must contain non-empty strings only");
        }
        recorder.acceptDeleted(users);
        ObjectNode answer = FakeBrazeJson.message("success");
        answer.put("deleted", users.size());
        return FakeBrazeResponse.json(202, answer);
    }

    private static int size(JsonNode array) {
        return array == null || !array.isArray() ? 0 : array.size();
    }

    private static boolean strings(JsonNode array, String key, List<ObjectNode> users) {
        if (array == null || array.isNull()) {
            return true;
        }
        for (JsonNode value : array) {
            if (!FakeBrazeJson.isNonBlankText(value)) {
                return false;
            }
            users.add(MAPPER.createObjectNode().put(key, value.textValue()));
        }
        return true;
    }
}
