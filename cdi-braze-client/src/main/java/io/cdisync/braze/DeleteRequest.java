package io.cdisync.braze;

import java.util.List;
import java.util.Objects;

/**
 * One {@code POST /users/delete}: users named by external id, alias or Braze id, at most
 * {@value BrazeLimits#DELETE_IDENTIFIERS_PER_REQUEST} identifiers in all.
 */
public record DeleteRequest(List<String> externalIds, List<UserAlias> userAliases, List<String> brazeIds) {
    public DeleteRequest {
        externalIds = externalIds == null ? List.of() : List.copyOf(externalIds);
        userAliases = userAliases == null ? List.of() : List.copyOf(userAliases);
        brazeIds = brazeIds == null ? List.of() : List.copyOf(brazeIds);
        int size = externalIds.size() + userAliases.size() + brazeIds.size();
        if (size == 0) {
            throw new IllegalArgumentException("a delete request needs at least one identifier");
        }
        if (size > BrazeLimits.DELETE_IDENTIFIERS_PER_REQUEST) {
            throw new IllegalArgumentException("a delete request holds " + size + " identifiers; Braze accepts at most "
                    + BrazeLimits.DELETE_IDENTIFIERS_PER_REQUEST);
        }
    }

    /** A user alias: name and label, both required. */
    public record UserAlias(String name, String label) {
        public UserAlias {
            Objects.requireNonNull(name, "alias name");
            Objects.requireNonNull(label, "alias label");
        }
    }
}
