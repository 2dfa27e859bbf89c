package io.cdisync.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeLimits;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.spi.IdentifierResolver;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.UserIdentifier;
import java.util.Set;

/**
 * Turns a source row into the Braze object it stands for, applying the identifier rules and the data
 * type's payload rules. One instance per run, used on the sync's thread.
 */
public final class RowTranslator {
    /** Keys that name a user; they belong in the identifier columns, never in PAYLOAD. */
    private static final Set<String> IDENTIFIER_KEYS = Set.of("external_id", "user_alias", "braze_id");

    private final DataType dataType;
    private final IdentifierResolver resolver;
    private final boolean updateExistingOnly;

    public RowTranslator(DataType dataType, IdentifierResolver resolver, boolean updateExistingOnly) {
        if (dataType != DataType.USER_ATTRIBUTES) {
            throw new UnsupportedOperationException("data type " + dataType + " is not supported yet; USER_ATTRIBUTES is");
        }
        this.dataType = dataType;
        this.resolver = resolver;
        this.updateExistingOnly = updateExistingOnly;
    }

    /** The Braze object for the row, with the lane key that keeps one user's rows in order. */
    public Translated translate(SourceRow row) throws InvalidRow {
        IdentifierResolver.Resolution resolution = resolver.resolve(row, dataType);
        if (!resolution.isValid()) {
            throw new InvalidRow(RowError.Kind.INVALID_IDENTIFIER, resolution.error());
        }
        UserIdentifier identifier = resolution.identifier();
        ObjectNode payload = Payloads.parseObject(row.payload(), BrazeLimits.MAX_PAYLOAD_BYTES);
        if (payload.size() > BrazeLimits.MAX_ATTRIBUTES_PER_OBJECT) {
            throw new InvalidRow(RowError.Kind.INVALID_PAYLOAD, "PAYLOAD has " + payload.size()
                    + " attributes; Braze accepts at most " + BrazeLimits.MAX_ATTRIBUTES_PER_OBJECT + " per row");
        }
        for (String key : IDENTIFIER_KEYS) {
            if (payload.has(key)) {
                throw new InvalidRow(RowError.Kind.INVALID_IDENTIFIER, "PAYLOAD carries the identifier key '" + key
                        + "'; identifiers belong in their own columns");
            }
        }
        ObjectNode object = Payloads.JSON.createObjectNode();
        identifier.writeTo(object);
        object.setAll(payload);
        if (updateExistingOnly) {
            object.put("_update_existing_only", true);
        }
        return new Translated(identifier.key(), object);
    }

    /**
     * A translated row.
     *
     * @param laneKey rows with equal keys belong to the same user
     * @param object  the Braze object
     */
    public record Translated(String laneKey, ObjectNode object) {
    }
}
