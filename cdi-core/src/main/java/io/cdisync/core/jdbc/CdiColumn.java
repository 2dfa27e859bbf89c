package io.cdisync.core.jdbc;

import java.util.Locale;
import java.util.Optional;

/**
 * The columns a CDI source table may have (Braze's names). A table holds any subset of them, in any
 * letter case; other columns are ignored. {@link JdbcSource} selects exactly the ones present.
 */
public enum CdiColumn {
    /** When the row last changed; UTC. Required in every table. */
    UPDATED_AT,
    /** The user's external id. */
    EXTERNAL_ID,
    /** Alias name; goes with {@link #ALIAS_LABEL}. */
    ALIAS_NAME,
    /** Alias label; goes with {@link #ALIAS_NAME}. */
    ALIAS_LABEL,
    /** Braze's own user id (updates existing users only). */
    BRAZE_ID,
    /** Email address (an identifier when no other is given). */
    EMAIL,
    /** Phone number (an identifier when neither email nor another is given). */
    PHONE,
    /** The JSON object to send: text, JSON, or a STRUCT/MAP. */
    PAYLOAD,
    /** Catalog item id. */
    ID,
    /** Catalog items: true deletes the item. */
    DELETED;

    /**
     * The column a table's column name stands for, matched case-insensitively.
     *
     * @param columnName a column name as the database reports it
     * @return the CDI column, or empty for any other column
     */
    public static Optional<CdiColumn> match(String columnName) {
        if (columnName == null) {
            return Optional.empty();
        }
        String upper = columnName.toUpperCase(Locale.ROOT);
        for (CdiColumn column : values()) {
            if (column.name().equals(upper)) {
                return Optional.of(column);
            }
        }
        return Optional.empty();
    }
}
