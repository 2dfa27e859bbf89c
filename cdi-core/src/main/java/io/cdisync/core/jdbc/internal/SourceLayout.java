package io.cdisync.core.jdbc.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.CdiColumn;
import io.cdisync.core.jdbc.JdbcColumn;
import io.cdisync.core.jdbc.RequiredColumns;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TableName;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CDI columns a resolved table has, in {@link CdiColumn} order, with their stored names and types;
 * built after checking the requirements and UPDATED_AT's type.
 *
 * @param table     the table's stored name
 * @param columns   the CDI columns present, in {@link CdiColumn} order (the SELECT list)
 * @param positions each present column's 1-based position in the SELECT list
 * @param zoned     true when UPDATED_AT carries a zone
 */
public record SourceLayout(TableName table, Map<CdiColumn, JdbcColumn> columns, Map<CdiColumn, Integer> positions, boolean zoned) {

    /**
     * Checks a table's columns and lays out the SELECT list.
     *
     * @throws CdiException.ConfigurationError naming a missing column (with the columns found), a column
     *                                         present twice in different cases, or UPDATED_AT of a non-timestamp type
     */
    public static SourceLayout of(TableResolver.ResolvedTable resolved, RequiredColumns required, SqlDialect dialect) {
        Map<CdiColumn, JdbcColumn> present = new EnumMap<>(CdiColumn.class);
        for (JdbcColumn column : resolved.columns()) {
            CdiColumn.match(column.name()).ifPresent(cdi -> {
                JdbcColumn previous = present.putIfAbsent(cdi, column);
                if (previous != null) {
                    throw new CdiException.ConfigurationError("table " + resolved.name() + " has two columns named " + cdi
                            + " in different letter cases (" + previous.name() + ", " + column.name()
                            + "); column names match case-insensitively, so rename or drop one (or use a view)");
                }
            });
        }
        Set<CdiColumn> missing = required.firstUnsatisfied(present.keySet());
        if (missing != null) {
            String found = resolved.columns().stream().map(JdbcColumn::name).collect(Collectors.joining(", "));
            String need = missing.size() == 1 ? "no column " + missing.iterator().next()
                    : "none of the columns " + missing.stream().map(Enum::name).collect(Collectors.joining(", "))
                    + " (it needs at least one)";
            throw new CdiException.ConfigurationError("table " + resolved.name() + " has " + need + "; columns found: "
                    + found + ". Add the column, or select it under that name in a view");
        }
        JdbcColumn updatedAt = present.get(CdiColumn.UPDATED_AT);
        if (updatedAt == null) {
            throw new CdiException.ConfigurationError("table " + resolved.name() + " has no column UPDATED_AT; every CDI"
                    + " table needs it");
        }
        if (!dialect.isTimestamp(updatedAt)) {
            throw new CdiException.ConfigurationError("column " + updatedAt.name() + " of " + resolved.name() + " is of type "
                    + updatedAt.typeName() + "; UPDATED_AT must be a timestamp (TIMESTAMP, or TIMESTAMP WITH TIME ZONE);"
                    + " change the column's type or cast it in a view");
        }
        Map<CdiColumn, Integer> positions = new EnumMap<>(CdiColumn.class);
        int position = 1;
        for (CdiColumn column : present.keySet()) {
            positions.put(column, position++);
        }
        return new SourceLayout(resolved.name(), present, positions, dialect.isZoned(updatedAt));
    }

    /** The stored names of the columns to select, in order. */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>();
        columns.values().forEach(c -> names.add(c.name()));
        return names;
    }

    /** UPDATED_AT's stored name. */
    public String updatedAtName() {
        return columns.get(CdiColumn.UPDATED_AT).name();
    }
}
