package io.cdisync.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user profiles a {@link FakeBraze} knows, so that it can answer "update only" objects as Braze does:
 * an object whose {@code _update_existing_only} is true (the default for an object identified by a
 * {@code user_alias}) changes nothing when its user does not exist. Users are known by external id and by
 * alias; objects identified by {@code braze_id}, {@code email} or {@code phone} are always applied.
 * Thread-safe.
 */
final class FakeBrazeUsers {
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    /** Whether external ids are remembered (not in a count-only fake, whose memory must stay constant). */
    private final boolean trackExternalIds;

    FakeBrazeUsers(boolean trackExternalIds) {
        this.trackExternalIds = trackExternalIds;
    }

    /**
     * Whether Braze would apply {@code object} (a valid track object), remembering its user if so.
     */
    boolean apply(JsonNode object) {
        String key = key(object);
        if (key == null) {
            return true;
        }
        JsonNode flag = object.get("_update_existing_only");
        boolean alias = key.startsWith("a:");
        boolean updateOnly = flag != null && flag.isBoolean() ? flag.booleanValue() : alias;
        if (!updateOnly) {
            if (alias || trackExternalIds) {
                known.add(key);
            }
            return true;
        }
        return known.contains(key) || (!alias && !trackExternalIds);
    }

    /** Makes the alias {@code name}/{@code label} a known user. */
    void addAlias(String name, String label) {
        known.add(aliasKey(name, label));
    }

    /** Makes external id {@code externalId} a known user. */
    void addExternalId(String externalId) {
        known.add("e:" + externalId);
    }

    /** Forgets the user of a deleted identifier ({@code {"external_id": ...}} or {@code {"user_alias": ...}}). */
    void delete(JsonNode user) {
        String key = key(user);
        if (key != null) {
            known.remove(key);
        }
    }

    /** Whether the alias is a known user. */
    boolean knowsAlias(String name, String label) {
        return known.contains(aliasKey(name, label));
    }

    void clear() {
        known.clear();
    }

    private static String key(JsonNode object) {
        JsonNode externalId = object.get("external_id");
        if (externalId != null && !externalId.isNull()) {
            return "e:" + externalId.asText();
        }
        JsonNode alias = object.get("user_alias");
        if (FakeBrazeJson.isUserAlias(alias)) {
            return aliasKey(alias.get("alias_name").textValue(), alias.get("alias_label").textValue());
        }
        return null;
    }

    private static String aliasKey(String name, String label) {
        return "a:" + name.length() + ":" + name + label;
    }
}
