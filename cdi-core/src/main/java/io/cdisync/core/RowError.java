package io.cdisync.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One row that was not delivered and will not be retried by the sync: the row is skipped, the rest of
 * its batch goes on.
 *
 * @param rowKey     the row as its source names it (table key, file and line), never null
 * @param updatedAt  the row's UPDATED_AT, or null when it had none
 * @param identifier the user identifier or item id the row resolved to, or null when it did not resolve
 * @param kind       the class of problem
 * @param reason     what is wrong and, where it helps, what to fix; never the payload itself
 */
public record RowError(String rowKey, Instant updatedAt, String identifier, Kind kind, String reason) {
    /** Classes of row problems. */
    public enum Kind {
        /** No identifier, several identifiers, half an alias, blank values, identifier keys in PAYLOAD. */
        INVALID_IDENTIFIER,
        /** PAYLOAD malformed, not an object, too large, too many attributes, fields of the wrong type. */
        INVALID_PAYLOAD,
        /** UPDATED_AT missing or unreadable. */
        INVALID_UPDATED_AT,
        /** Braze processed the request and refused this object. */
        REJECTED_BY_BRAZE,
        /** The source could not read the record at all (a file's line that is not JSON, a broken CSV record). */
        UNREADABLE_ROW,
        /**
         * A whole file was skipped (too large, unreadable, changed after it was processed, or a bad line in
         * strict mode); the row key names the file.
         */
        FILE_SKIPPED
    }

    public RowError {
        Objects.requireNonNull(rowKey, "rowKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return "row " + rowKey + (identifier == null ? "" : " (" + identifier + ")") + ": " + reason;
    }
}
