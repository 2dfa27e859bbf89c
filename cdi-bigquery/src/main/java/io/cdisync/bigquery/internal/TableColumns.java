package io.cdisync.bigquery.internal;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import io.cdisync.core.CdiException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CDI columns a BigQuery table has, discovered from its schema: each as the table spells it, with its
 * type. Other fields are ignored. Validation names the table, the column and what to change.
 */
public final class TableColumns {
    private static final Set<StandardSQLTypeName> PAYLOAD_TYPES = EnumSet.of(StandardSQLTypeName.JSON, StandardSQLTypeName.STRING);
    private static final Set<StandardSQLTypeName> SCALAR_TYPES = EnumSet.of(StandardSQLTypeName.STRING, StandardSQLTypeName.INT64,
            StandardSQLTypeName.NUMERIC, StandardSQLTypeName.BIGNUMERIC);

    /**
     * One CDI column of the table.
     *
     * @param column    which CDI column
     * @param fieldName the field's name as the table has it (any letter case)
     * @param type      the field's type
     */
    public record Present(CdiColumn column, String fieldName, StandardSQLTypeName type) {
    }

    private final Map<CdiColumn, Present> present;

    private TableColumns(Map<CdiColumn, Present> present) {
        this.present = present;
    }

    /**
     * Reads the CDI columns from a table schema.
     *
     * @throws CdiException.ConfigurationError when two fields match one CDI column or the schema is missing
     */
    public static TableColumns of(Schema schema, TableRef table) {
        if (schema == null || schema.getFields() == null) {
            throw new CdiException.ConfigurationError("BigQuery table " + table + " has no schema");
        }
        Map<CdiColumn, Present> found = new EnumMap<>(CdiColumn.class);
        for (Field field : schema.getFields()) {
            CdiColumn.match(field.getName()).ifPresent(column -> {
                StandardSQLTypeName type = field.getType() == null ? null : field.getType().getStandardType();
                boolean repeated = field.getMode() == Field.Mode.REPEATED;
                Present previous = found.put(column, new Present(column, field.getName(), repeated ? StandardSQLTypeName.ARRAY : type));
                if (previous != null) {
                    throw new CdiException.ConfigurationError("BigQuery table " + table + " has two columns named " + column
                            + " (" + previous.fieldName() + ", " + field.getName() + ")");
                }
            });
        }
        return new TableColumns(Collections.unmodifiableMap(found));
    }

    /** The CDI columns present, in a fixed order (the order the query selects them). */
    public List<Present> selected() {
        return List.copyOf(present.values());
    }

    /** The CDI columns present. */
    public Set<CdiColumn> names() {
        return present.isEmpty() ? EnumSet.noneOf(CdiColumn.class) : EnumSet.copyOf(present.keySet());
    }

    /** The field standing for {@code column}, or null. */
    public Present get(CdiColumn column) {
        return present.get(column);
    }

    /**
     * Checks the table against the requirements and the types cdi can read.
     *
     * @param required groups of columns; each group is satisfied by any one of its columns
     * @param forbidden columns that must not be there (PAYLOAD for user deletes)
     * @throws CdiException.ConfigurationError naming the missing column or the wrong type and what to do
     */
    public void validate(List<Set<CdiColumn>> required, Set<CdiColumn> forbidden, TableRef table) {
        for (Set<CdiColumn> group : required) {
            if (group.stream().noneMatch(present::containsKey)) {
                String what = group.size() == 1 ? "column " + group.iterator().next()
                        : "one of the columns " + group.stream().map(Enum::name).collect(Collectors.joining(", "));
                throw new CdiException.ConfigurationError("BigQuery table " + table + " has no " + what
                        + " (it has " + describe() + "); add it to the table or to the view the sync reads");
            }
        }
        if (present.containsKey(CdiColumn.ALIAS_NAME) != present.containsKey(CdiColumn.ALIAS_LABEL)) {
            throw new CdiException.ConfigurationError("BigQuery table " + table + " has "
                    + (present.containsKey(CdiColumn.ALIAS_NAME) ? "ALIAS_NAME but no ALIAS_LABEL" : "ALIAS_LABEL but no ALIAS_NAME")
                    + "; an alias needs both columns");
        }
        for (CdiColumn column : forbidden) {
            if (present.containsKey(column)) {
                throw new CdiException.ConfigurationError("BigQuery table " + table + " must not have a " + column
                        + " column for this data type; remove it or read from a view without it");
            }
        }
        List<String> problems = new ArrayList<>();
        for (Present p : present.values()) {
            String problem = typeProblem(p);
            if (problem != null) {
                problems.add(p.fieldName() + " is " + p.type() + ", " + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new CdiException.ConfigurationError("BigQuery table " + table + ": " + String.join("; ", problems));
        }
    }

    private static String typeProblem(Present p) {
        StandardSQLTypeName type = p.type();
        return switch (p.column()) {
            case UPDATED_AT -> type == StandardSQLTypeName.TIMESTAMP ? null
                    : "must be TIMESTAMP (UTC); convert it in a view, e.g. TIMESTAMP(updated_at) AS UPDATED_AT";
            case PAYLOAD -> PAYLOAD_TYPES.contains(type) ? null : "must be JSON or STRING (JSON text); use TO_JSON(...) in a view";
            case DELETED -> type == StandardSQLTypeName.BOOL ? null : "must be BOOL";
            default -> SCALAR_TYPES.contains(type) ? null : "must be STRING";
        };
    }

    private String describe() {
        return present.isEmpty() ? "none of the CDI columns"
                : present.keySet().stream().map(Enum::name).collect(Collectors.joining(", "));
    }
}
