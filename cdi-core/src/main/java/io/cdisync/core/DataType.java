package io.cdisync.core;

/**
 * What a sync sends to Braze. Fixed when a sync is defined: the source table's shape and the Braze
 * endpoint follow from it.
 */
public enum DataType {
    /** User attributes: one {@code attributes} object per row on {@code /users/track}. */
    USER_ATTRIBUTES,
    /** Custom events: one {@code events} object per row on {@code /users/track}. */
    CUSTOM_EVENTS,
    /** Purchases: one {@code purchases} object per row on {@code /users/track}. */
    PURCHASES,
    /** User deletes: one identifier per row on {@code /users/delete}. */
    USER_DELETES,
    /** Catalog items: one item per row, upserted or deleted, on a named catalog. */
    CATALOG_ITEMS;

    /** True for the data types whose rows name a user (every type but catalog items). */
    public boolean isUserData() {
        return this != CATALOG_ITEMS;
    }
}
