package io.cdisync.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeLimits;
import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.spi.IdentifierResolver;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.UserIdentifier;

/**
 * Turns a source row into the Braze object it stands for, applying the identifier rules (one resolver
 * for every user data type) and the data type's payload rules. One instance per run, used on the
 * sync's thread.
 */
public final class RowTranslator {
    private final DataType dataType;
    private final IdentifierResolver resolver;
    private final boolean updateExistingOnly;

    public RowTranslator(DataType dataType, IdentifierResolver resolver, boolean updateExistingOnly) {
        this.dataType = dataType;
        this.resolver = resolver;
        this.updateExistingOnly = updateExistingOnly;
    }

    /** The Braze object for the row, with the lane key that keeps one user's (or item's) rows in order. */
    public Translated translate(SourceRow row) throws InvalidRow {
        if (dataType == DataType.CATALOG_ITEMS) {
            return catalogItem(row);
        }
        IdentifierResolver.Resolution resolution = resolver.resolve(row, dataType);
        if (!resolution.isValid()) {
            throw new InvalidRow(RowError.Kind.INVALID_IDENTIFIER, resolution.error());
        }
        UserIdentifier identifier = resolution.identifier();
        ObjectNode object = Payloads.JSON.createObjectNode();
        identifier.writeTo(object);
        if (dataType == DataType.USER_DELETES) {
            if (row.payload() != null) {
                throw new CdiException.ConfigurationError("the source of a user delete sync has a PAYLOAD (row "
                        + row.rowKey() + "); a delete table holds UPDATED_AT and identifier columns only");
            }
            return new Translated(identifier.key(), identifier, object, false);
        }
        ObjectNode payload = Payloads.parseObject(row.payload(), BrazeLimits.MAX_PAYLOAD_BYTES);
        switch (dataType) {
            case USER_ATTRIBUTES -> PayloadRules.attributes(payload);
            case CUSTOM_EVENTS -> PayloadRules.event(payload, row.updatedAt());
            case PURCHASES -> PayloadRules.purchase(payload, row.updatedAt());
            default -> throw new IllegalStateException("unexpected data type " + dataType);
        }
        object.setAll(payload);
        if (updateExistingOnly) {
            object.put("_update_existing_only", true);
        }
        return new Translated(identifier.key(), identifier, object, false);
    }

    private Translated catalogItem(SourceRow row) throws InvalidRow {
        PayloadRules.catalogId(row.id());
        ObjectNode object = Payloads.JSON.createObjectNode();
        object.put("id", row.id());
        boolean delete = Boolean.TRUE.equals(row.deleted());
        if (!delete) {
            ObjectNode payload = Payloads.parseObject(row.payload(), BrazeLimits.MAX_PAYLOAD_BYTES);
            PayloadRules.catalogItem(payload);
            object.setAll(payload);
        }
        return new Translated("item:" + row.id(), null, object, delete);
    }

    /**
     * A translated row.
     *
     * @param laneKey    rows with equal keys belong to the same user or item and keep their order
     * @param identifier the user, or null for catalog items
     * @param object     the Braze object (user object, event, purchase, identifier for deletes, or item)
     * @param delete     for catalog items: delete rather than upsert
     */
    public record Translated(String laneKey, UserIdentifier identifier, ObjectNode object, boolean delete) {
        /** How to name the row's target in a row error. */
        public String target() {
            return identifier != null ? identifier.key() : laneKey;
        }
    }
}
