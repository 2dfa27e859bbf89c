package io.cdisync.core.internal;

import io.cdisync.core.RowError;
import io.cdisync.core.spi.FileChunk;
import io.cdisync.core.spi.SourceRow;

/** How the engine names a row and says why it failed: one place for each kind of row error. */
final class RowErrors {
    private RowErrors() {
    }

    /** How row errors name a row: the source's key, else its position in this read and its UPDATED_AT. */
    static String rowKey(SourceRow row, long ordinal) {
        return row.rowKey() != null ? row.rowKey() : "#" + ordinal + " (UPDATED_AT " + row.updatedAt() + ")";
    }

    /** A record the source could not read. */
    static RowError unreadable(SourceRow row, long ordinal, SourceRow.Unreadable unreadable) {
        return new RowError(rowKey(row, ordinal), null, null, RowError.Kind.UNREADABLE_ROW, unreadable.reason());
    }

    /** A table row without UPDATED_AT. */
    static RowError noUpdatedAt(SourceRow row, long ordinal) {
        return new RowError(rowKey(row, ordinal), null, null, RowError.Kind.INVALID_UPDATED_AT,
                "UPDATED_AT is NULL; every row needs the time it was last changed");
    }

    /** A row that does not make a Braze object. */
    static RowError invalid(SourceRow row, long ordinal, InvalidRow invalid) {
        return new RowError(rowKey(row, ordinal), row.updatedAt(), null, invalid.kind(), invalid.getMessage());
    }

    /** A file the source skipped as a whole. */
    static RowError fileSkipped(FileChunk chunk) {
        return new RowError(chunk.key(), null, null, RowError.Kind.FILE_SKIPPED, chunk.skipped());
    }

    /** A row Braze refused, for {@code reason}. */
    static RowError rejected(PendingRow row, String reason) {
        return new RowError(rowKey(row.row, row.ordinal), row.updatedAt, row.translated.target(),
                RowError.Kind.REJECTED_BY_BRAZE, reason);
    }

    /** A row whose request, holding it alone, is {@code requestBytes} long: over {@code maxBytes}. */
    static RowError tooLarge(PendingRow row, long requestBytes, long maxBytes) {
        return new RowError(rowKey(row.row, row.ordinal), row.updatedAt, row.translated.target(), RowError.Kind.INVALID_PAYLOAD,
                "the row's Braze object makes a request of " + requestBytes + " bytes on its own; Braze accepts requests of"
                        + " at most " + maxBytes + " bytes (the client's maxRequestBytes)");
    }
}
