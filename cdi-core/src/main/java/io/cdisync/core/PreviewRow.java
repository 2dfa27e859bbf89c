package io.cdisync.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * What one source row would become: the Braze object, or the row error. From {@link SyncRunner#preview(int)}.
 *
 * @param rowKey    the row's key
 * @param updatedAt its UPDATED_AT
 * @param object    the object that would be sent, or null when the row is invalid
 * @param error     why the row would be refused, or null when it is valid
 */
public record PreviewRow(String rowKey, Instant updatedAt, ObjectNode object, RowError error) {
    /** True when the row would be sent. */
    public boolean valid() {
        return error == null;
    }
}
