package io.cdisync.core.jdbc.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.JdbcColumn;
import io.cdisync.core.jdbc.TableName;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds a table or view in {@link DatabaseMetaData} by a user's name, case-insensitively, and returns
 * its real (stored) name and columns. Metadata patterns are only used to narrow the search; every match
 * is checked for equality, so {@code _} and {@code %} in a name never match other tables.
 */
public final class TableResolver {
    private TableResolver() {
    }

    /** A table as stored: its exact names and its columns in table order. */
    public record ResolvedTable(TableName name, List<JdbcColumn> columns) {
        public ResolvedTable {
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
        }
    }

    /**
     * Resolves {@code wanted}.
     *
     * @param who the user, for the not-found message
     * @param where the database's target (host:port), for the not-found message
     * @throws CdiException.ConfigurationError when no table or several tables match
     * @throws SQLException from the driver
     */
    public static ResolvedTable resolve(Connection connection, TableName wanted, String who, String where) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        Map<TableName, List<JdbcColumn>> found = new LinkedHashMap<>();
        String currentCatalog = connection.getCatalog();
        for (String pattern : variants(wanted.table())) {
            for (String schemaPattern : wanted.schema() == null ? java.util.Collections.<String>singletonList(null) : variants(wanted.schema())) {
                collect(metadata, wanted, currentCatalog, schemaPattern, pattern, found);
            }
            if (!found.isEmpty()) {
                break;
            }
        }
        if (found.isEmpty()) {
            // Mixed-case names stored quoted ("Users") that none of the variants hit: list the schema's tables.
            for (TableName table : listTables(metadata, wanted)) {
                collect(metadata, wanted, currentCatalog, table.schema(), table.table(), found);
            }
        }
        if (found.isEmpty()) {
            throw new CdiException.ConfigurationError("table " + wanted + " not found on " + where + ": user " + who
                    + " sees no table or view of that name. Check the name (schema.table) and that the user may use"
                    + " its schema (GRANT USAGE ON SCHEMA ... TO " + who + ")");
        }
        TableName chosen = choose(connection, wanted, found.keySet());
        return new ResolvedTable(chosen, found.get(chosen));
    }

    private static void collect(DatabaseMetaData metadata, TableName wanted, String currentCatalog, String schemaPattern, String tablePattern,
            Map<TableName, List<JdbcColumn>> found) throws SQLException {
        try (ResultSet columns = metadata.getColumns(null, schemaPattern, tablePattern, null)) {
            while (columns.next()) {
                String catalog = columns.getString("TABLE_CAT");
                String schema = columns.getString("TABLE_SCHEM");
                String table = columns.getString("TABLE_NAME");
                if (!matches(wanted, catalog, schema, table)) {
                    continue;
                }
                // The catalog is named only when the user named it or it is not the connection's own: messages and
                // SQL then read schema.table, as the user would write them.
                boolean otherCatalog = blankToNull(catalog) != null && !catalog.equalsIgnoreCase(currentCatalog);
                String keptCatalog = blankToNull(schema) != null && (wanted.catalog() != null || otherCatalog) ? catalog : null;
                TableName name = new TableName(keptCatalog, blankToNull(schema), table);
                List<JdbcColumn> known = found.computeIfAbsent(name, k -> new ArrayList<>());
                String column = columns.getString("COLUMN_NAME");
                // Drivers that match metadata patterns case-insensitively answer every case variant we try.
                if (known.stream().noneMatch(c -> c.name().equals(column))) {
                    known.add(new JdbcColumn(column, columns.getInt("DATA_TYPE"), columns.getString("TYPE_NAME")));
                }
            }
        }
    }

    private static List<TableName> listTables(DatabaseMetaData metadata, TableName wanted) throws SQLException {
        List<TableName> tables = new ArrayList<>();
        try (ResultSet rs = metadata.getTables(null, null, null, null)) {
            while (rs.next()) {
                String catalog = rs.getString("TABLE_CAT");
                String schema = rs.getString("TABLE_SCHEM");
                String table = rs.getString("TABLE_NAME");
                if (matches(wanted, catalog, schema, table) && blankToNull(schema) != null) {
                    tables.add(new TableName(null, schema, table));
                }
            }
        }
        return tables;
    }

    private static TableName choose(Connection connection, TableName wanted, Set<TableName> candidates) throws SQLException {
        if (candidates.size() == 1) {
            return candidates.iterator().next();
        }
        List<TableName> exact = candidates.stream().filter(t -> t.table().equals(wanted.table())
                && (wanted.schema() == null || wanted.schema().equals(t.schema()))).toList();
        if (exact.size() == 1) {
            return exact.get(0);
        }
        if (wanted.schema() == null) {
            String current = connection.getSchema();
            List<TableName> inCurrent = candidates.stream().filter(t -> t.schema() != null && t.schema().equals(current)).toList();
            if (inCurrent.size() == 1) {
                return inCurrent.get(0);
            }
        }
        throw new CdiException.ConfigurationError("table name " + wanted + " is ambiguous: it matches " + candidates
                + "; name the table exactly (schema.table, with quotes for mixed case)");
    }

    private static boolean matches(TableName wanted, String catalog, String schema, String table) {
        return wanted.table().equalsIgnoreCase(table)
                && (wanted.schema() == null || wanted.schema().equalsIgnoreCase(schema))
                && (wanted.catalog() == null || wanted.catalog().equalsIgnoreCase(catalog));
    }

    private static List<String> variants(String name) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(name);
        variants.add(name.toLowerCase(Locale.ROOT));
        variants.add(name.toUpperCase(Locale.ROOT));
        return new ArrayList<>(variants);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
