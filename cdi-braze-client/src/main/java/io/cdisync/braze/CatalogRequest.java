package io.cdisync.braze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One write to a catalog's items: up to {@value BrazeLimits#CATALOG_ITEMS_PER_REQUEST} items, each an
 * object with its {@code id} (and, for upserts, its fields).
 */
public record CatalogRequest(String catalog, Operation operation, List<ObjectNode> items) {
    /** What the request does to the items. */
    public enum Operation {
        /** Create or replace each item. */
        UPSERT,
        /** Delete each item. */
        DELETE
    }

    public CatalogRequest {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(operation, "operation");
        items = List.copyOf(Objects.requireNonNull(items, "items"));
        if (catalog.isBlank() || catalog.equals(".") || catalog.equals("..")) {
            throw new IllegalArgumentException("catalog name must not be blank, \".\" or \"..\"");
        }
        if (items.isEmpty() || items.size() > BrazeLimits.CATALOG_ITEMS_PER_REQUEST) {
            throw new IllegalArgumentException("a catalog request holds " + items.size() + " items; Braze accepts 1 to "
                    + BrazeLimits.CATALOG_ITEMS_PER_REQUEST);
        }
    }
}
