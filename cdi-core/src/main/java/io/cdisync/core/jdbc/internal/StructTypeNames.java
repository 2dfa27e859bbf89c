package io.cdisync.core.jdbc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The field names of a {@link java.sql.Struct}, read from its SQL type name: JDBC gives a struct's
 * values but not their names. Understands {@code STRUCT(a INTEGER, "b c" VARCHAR, n STRUCT(x DOUBLE))}
 * (DuckDB) and {@code ROW(...)}.
 */
final class StructTypeNames {
    private StructTypeNames() {
    }

    /** The field names in order, or null when the type name is not of that form. */
    static List<String> fieldNames(String typeName) {
        if (typeName == null) {
            return null;
        }
        String trimmed = typeName.strip();
        int open = trimmed.indexOf('(');
        if (open < 0 || !trimmed.endsWith(")")) {
            return null;
        }
        String kind = trimmed.substring(0, open).strip().toUpperCase(Locale.ROOT);
        if (!kind.equals("STRUCT") && !kind.equals("ROW")) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String field : splitTopLevel(trimmed.substring(open + 1, trimmed.length() - 1))) {
            String name = fieldName(field.strip());
            if (name == null) {
                return null;
            }
            names.add(name);
        }
        return names;
    }

    private static List<String> splitTopLevel(String fields) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < fields.length(); i++) {
            char c = fields.charAt(i);
            if (c == '"') {
                quoted = !quoted; // a doubled quote toggles twice: still inside
            } else if (!quoted && (c == '(' || c == '[')) {
                depth++;
            } else if (!quoted && (c == ')' || c == ']')) {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                parts.add(fields.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(fields.substring(start));
        return parts;
    }

    private static String fieldName(String field) {
        if (field.isEmpty()) {
            return null;
        }
        if (field.charAt(0) == '"') {
            StringBuilder name = new StringBuilder();
            for (int i = 1; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c == '"' && i + 1 < field.length() && field.charAt(i + 1) == '"') {
                    name.append('"');
                    i++;
                } else if (c == '"') {
                    return name.toString();
                } else {
                    name.append(c);
                }
            }
            return null;
        }
        int space = field.indexOf(' ');
        return space <= 0 ? null : field.substring(0, space);
    }
}
