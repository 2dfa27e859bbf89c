package io.cdisync.core.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table or view name as the user gave it: {@code table}, {@code schema.table} or
 * {@code catalog.schema.table}. A part may be double-quoted to hold dots or quotes ({@code "my.schema"."t"},
 * a quote doubled inside). The name is only ever used to look the table up in the database's metadata
 * and, quoted by the {@link SqlDialect}, in generated SQL: it is never concatenated into SQL raw.
 *
 * @param catalog the catalog (database), or null
 * @param schema  the schema, or null
 * @param table   the table or view
 */
public record TableName(String catalog, String schema, String table) {
    private static final int MAX_PART = 255;

    public TableName {
        table = checkPart("table", Objects.requireNonNull(table, "table"));
        schema = schema == null ? null : checkPart("schema", schema);
        catalog = catalog == null ? null : checkPart("catalog", catalog);
        if (catalog != null && schema == null) {
            throw new IllegalArgumentException("a catalog needs a schema: catalog.schema.table");
        }
    }

    /**
     * Parses {@code [catalog.][schema.]table}.
     *
     * @throws IllegalArgumentException naming what is wrong (empty part, more than three parts, an
     *                                  unclosed quote, a control character, a part over 255 characters)
     */
    public static TableName parse(String name) {
        Objects.requireNonNull(name, "table name");
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < name.length() && name.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    part.append(c);
                }
            } else if (c == '"' && part.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                parts.add(part.toString());
                part.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted) {
                throw new IllegalArgumentException("table name '" + name + "': unexpected '" + c + "' after a quoted part");
            } else {
                part.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("table name '" + name + "' has an unclosed quote");
        }
        parts.add(part.toString());
        return switch (parts.size()) {
            case 1 -> new TableName(null, null, parts.get(0));
            case 2 -> new TableName(null, parts.get(0), parts.get(1));
            case 3 -> new TableName(parts.get(0), parts.get(1), parts.get(2));
            default -> throw new IllegalArgumentException("table name '" + name
                    + "' has more than three parts; use table, schema.table or catalog.schema.table");
        };
    }

    /** The name as {@code catalog.schema.table}, unquoted, for messages. */
    @Override
    public String toString() {
        return (catalog == null ? "" : catalog + ".") + (schema == null ? "" : schema + ".") + table;
    }

    private static String checkPart(String what, String part) {
        if (part.isBlank()) {
            throw new IllegalArgumentException(what + " name must not be empty");
        }
        if (part.length() > MAX_PART) {
            throw new IllegalArgumentException(what + " name is longer than " + MAX_PART + " characters");
        }
        for (int i = 0; i < part.length(); i++) {
            if (Character.isISOControl(part.charAt(i))) {
                throw new IllegalArgumentException(what + " name must not contain control characters");
            }
        }
        return part;
    }
}
