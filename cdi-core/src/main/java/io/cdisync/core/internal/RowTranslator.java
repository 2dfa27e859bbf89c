package io.cdisync.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeLimits;
import io.cdisync.braze.EncodedObject;
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
 *
 * <p>{@code /users/track} objects come out encoded ({@link EncodedObject}): user attributes given as JSON
 * text take the streaming {@link AttributeEncoder}; everything else is checked on a tree, encoded once.
 * Deletes and catalog items stay trees, which their endpoints need.
 *
 * <p>Alias objects (attributes, events, purchases) carry {@code _update_existing_only: false} unless the sync is
 * update-existing-only: Braze's default for an alias is "update only", which would never create the alias user.
 */
public final class RowTranslator {
    private static final String UPDATE_EXISTING_ONLY = "_update_existing_only";
    private final DataType dataType;
    private final IdentifierResolver resolver;
    private final boolean updateExistingOnly;
    private final AttributeEncoder attributes;

    public RowTranslator(DataType dataType, IdentifierResolver resolver, boolean updateExistingOnly) {
        this.dataType = dataType;
        this.resolver = resolver;
        this.updateExistingOnly = updateExistingOnly;
        this.attributes = new AttributeEncoder(updateExistingOnly);
    }

    /** The Braze object for the row, with what keeps one user's (or item's) rows in order. */
    public Translated translate(SourceRow row) throws InvalidRow {
        if (dataType == DataType.CATALOG_ITEMS) {
            return catalogItem(row);
        }
        IdentifierResolver.Resolution resolution = resolver.resolve(row, dataType);
        if (!resolution.isValid()) {
            throw new InvalidRow(RowError.Kind.INVALID_IDENTIFIER, resolution.error());
        }
        UserIdentifier identifier = resolution.identifier();
        if (dataType == DataType.USER_ATTRIBUTES && row.payload() instanceof String text) {
            EncodedObject encoded = attributes.encode(identifier, text);
            if (encoded != null) {
                return new Translated(identifier, null, null, encoded, false);
            }
        }
        ObjectNode object = Payloads.JSON.createObjectNode();
        identifier.writeTo(object);
        if (dataType == DataType.USER_DELETES) {
            if (row.payload() != null) {
                throw new CdiException.ConfigurationError("the source of a user delete sync has a PAYLOAD (row "
                        + row.rowKey() + "); a delete table holds UPDATED_AT and identifier columns only");
            }
            return new Translated(identifier, null, object, null, false);
        }
        ObjectNode payload = Payloads.parseObject(row.payload(), BrazeLimits.MAX_PAYLOAD_BYTES);
        switch (dataType) {
            case USER_ATTRIBUTES -> PayloadRules.attributes(payload);
            case CUSTOM_EVENTS -> PayloadRules.event(payload, row.updatedAt());
            case PURCHASES -> PayloadRules.purchase(payload, row.updatedAt());
            default -> throw new IllegalStateException("unexpected data type " + dataType);
        }
        object.setAll(payload);
        updateFlag(object, identifier);
        return new Translated(identifier, null, null, EncodedObject.of(object), false);
    }

    /**
     * Sets {@code _update_existing_only}: true in an update-existing-only sync; false on alias objects otherwise,
     * unless the payload sets it. Braze treats an alias object without the flag as update-only ("When using a
     * user_alias, 'Update Only' defaults to true"), so an alias user it does not know yet would never be
     * created, where Braze CDI creates it. Attributes, events and purchases all take the flag.
     */
    private void updateFlag(ObjectNode object, UserIdentifier identifier) {
        if (updateExistingOnly) {
            object.put(UPDATE_EXISTING_ONLY, true);
        } else if (identifier instanceof UserIdentifier.Alias && !object.has(UPDATE_EXISTING_ONLY)) {
            object.put(UPDATE_EXISTING_ONLY, false);
        }
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
        return new Translated(null, row.id(), object, null, delete);
    }

    /**
     * A translated row.
     *
     * @param identifier the user, or null for catalog items
     * @param itemId     the catalog item id, or null for users
     * @param object     the object as a tree (deletes' identifiers and catalog items), or null
     * @param encoded    the {@code /users/track} object (attributes, events, purchases), or null
     * @param delete     for catalog items: delete rather than upsert
     */
    public record Translated(UserIdentifier identifier, String itemId, ObjectNode object, EncodedObject encoded,
            boolean delete) {
        /** Equal for rows of the same user (or item), which must keep their order; spread over all bits. */
        public int laneHash() {
            int h = identifier != null ? identifier.hashCode() : itemId.hashCode();
            return h ^ (h >>> 16);
        }

        /** Rows with equal keys belong to the same user or item and keep their order. */
        public String laneKey() {
            return identifier != null ? identifier.key() : "item:" + itemId;
        }

        /** How to name the row's target in a row error. */
        public String target() {
            return laneKey();
        }

        /** The object as a tree, whichever form it was built in (parses encoded objects: previews, not the hot path). */
        public ObjectNode tree() {
            return object != null ? object : encoded.toTree();
        }

        /** Bytes this row keeps in memory until it is done, roughly: its source payload and its object. */
        int weight() {
            return encoded != null ? 2 * encoded.length() : 1024;
        }
    }
}
