package io.cdisync.core.jdbc;

import io.cdisync.core.DataType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The columns a source table must have, checked by {@link JdbcSource#check()} and before every read:
 * a list of groups, each satisfied when the table has at least one column of the group.
 *
 * <pre>{@code
 * RequiredColumns.userData()                                  // UPDATED_AT, and one identifier column
 * RequiredColumns.of(CdiColumn.UPDATED_AT).andAnyOf(CdiColumn.ID)   // catalog items
 * }</pre>
 *
 * @param groups the groups; each non-empty
 */
public record RequiredColumns(List<Set<CdiColumn>> groups) {
    private static final Set<CdiColumn> USER_IDENTIFIERS = EnumSet.of(CdiColumn.EXTERNAL_ID, CdiColumn.ALIAS_NAME,
            CdiColumn.BRAZE_ID, CdiColumn.EMAIL, CdiColumn.PHONE);

    public RequiredColumns {
        Objects.requireNonNull(groups, "groups");
        List<Set<CdiColumn>> copy = new ArrayList<>();
        for (Set<CdiColumn> group : groups) {
            if (Objects.requireNonNull(group, "groups contains null").isEmpty()) {
                throw new IllegalArgumentException("groups must not contain an empty group");
            }
            copy.add(Collections.unmodifiableSet(EnumSet.copyOf(group))); // enum order, for stable messages
        }
        groups = List.copyOf(copy);
    }

    /** The default for user data (attributes, events, purchases, deletes): UPDATED_AT and at least one identifier column. */
    public static RequiredColumns userData() {
        return of(CdiColumn.UPDATED_AT).andAnyOf(USER_IDENTIFIERS);
    }

    /** Catalog items: UPDATED_AT and ID. */
    public static RequiredColumns catalogItems() {
        return of(CdiColumn.UPDATED_AT, CdiColumn.ID);
    }

    /** What a table of {@code dataType} needs: {@link #catalogItems()} or {@link #userData()}. */
    public static RequiredColumns forDataType(DataType dataType) {
        return Objects.requireNonNull(dataType, "dataType").isUserData() ? userData() : catalogItems();
    }

    /** Requires every one of {@code columns}. */
    public static RequiredColumns of(CdiColumn... columns) {
        List<Set<CdiColumn>> groups = new ArrayList<>();
        for (CdiColumn column : columns) {
            groups.add(EnumSet.of(Objects.requireNonNull(column, "column")));
        }
        return new RequiredColumns(groups);
    }

    /** These requirements plus "at least one of {@code columns}". */
    public RequiredColumns andAnyOf(CdiColumn... columns) {
        return andAnyOf(List.of(columns));
    }

    /** These requirements plus "at least one of {@code columns}". */
    public RequiredColumns andAnyOf(Collection<CdiColumn> columns) {
        List<Set<CdiColumn>> more = new ArrayList<>(groups);
        more.add(EnumSet.copyOf(columns));
        return new RequiredColumns(more);
    }

    /** The first group none of whose columns is in {@code present}, or null when all are satisfied. */
    public Set<CdiColumn> firstUnsatisfied(Set<CdiColumn> present) {
        for (Set<CdiColumn> group : groups) {
            if (group.stream().noneMatch(present::contains)) {
                return group;
            }
        }
        return null;
    }
}
