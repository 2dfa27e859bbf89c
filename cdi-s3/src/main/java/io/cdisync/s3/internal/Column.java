package io.cdisync.s3.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The columns a CDI file may have; every other column is ignored. Names match case-insensitively. */
enum Column {
    EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID, DELETED, PAYLOAD, UPDATED_AT;

    private static final Map<String, Column> BY_NAME = new HashMap<>();

    static {
        // Both spellings that files use in practice, so the hot path (NDJSON keys) rarely needs toUpperCase.
        for (Column column : values()) {
            BY_NAME.put(column.name(), column);
            BY_NAME.put(column.name().toLowerCase(Locale.ROOT), column);
        }
    }

    /** The column named {@code name} in any case, or null for a column cdi does not read. */
    static Column of(String name) {
        if (name == null) {
            return null;
        }
        Column column = BY_NAME.get(name);
        return column != null ? column : BY_NAME.get(name.trim().toUpperCase(Locale.ROOT));
    }
}
