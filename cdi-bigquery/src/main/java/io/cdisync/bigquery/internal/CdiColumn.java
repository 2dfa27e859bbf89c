package io.cdisync.bigquery.internal;

import java.util.Locale;
import java.util.Optional;

/** The columns a CDI source table may have (Braze's names), matched case-insensitively against the table's fields. */
public enum CdiColumn {
    UPDATED_AT, EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, PAYLOAD, ID, DELETED;

    /** The CDI column {@code name} stands for, or empty for any other name. */
    public static Optional<CdiColumn> match(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String upper = name.toUpperCase(Locale.ROOT);
        for (CdiColumn column : values()) {
            if (column.name().equals(upper)) {
                return Optional.of(column);
            }
        }
        return Optional.empty();
    }

    /** Like {@link #match} but refuses names that are not CDI columns, naming the ones that are. */
    public static CdiColumn parse(String name) {
        return match(name).orElseThrow(() -> new IllegalArgumentException("'" + name
                + "' is not a CDI column; use one of " + java.util.Arrays.toString(values())));
    }
}
