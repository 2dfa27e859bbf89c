package io.cdisync.s3.internal;

import io.cdisync.core.spi.SourceRow;
import java.time.Instant;

/**
 * The values of one record while a reader collects them, and the rules every format shares: empty is null,
 * DELETED is a boolean, UPDATED_AT is an ISO-8601 timestamp (else the file's time). A reader reuses one instance,
 * {@link #reset() reset} before each record. The first problem found makes the record unreadable.
 */
final class RecordFields {
    private final String[] text = new String[Column.values().length];
    private Boolean deleted;
    private Instant updatedAt;
    private Object payload;
    private String problem;

    void reset() {
        java.util.Arrays.fill(text, null);
        deleted = null;
        updatedAt = null;
        payload = null;
        problem = null;
    }

    /** Marks the record unreadable; the first reason given is kept. */
    void fail(String reason) {
        if (problem == null) {
            problem = reason;
        }
    }

    boolean failed() {
        return problem != null;
    }

    /** A column's value as text, whatever the column; null or empty means NULL. */
    void text(Column column, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        switch (column) {
            case DELETED -> deleted(parseBoolean(value));
            case UPDATED_AT -> {
                Instant parsed = Timestamps.parse(value);
                if (parsed == null) {
                    fail("UPDATED_AT is not an ISO-8601 date-time (e.g. 2024-05-01T12:00:00Z)");
                } else {
                    updatedAt = parsed;
                }
            }
            case PAYLOAD -> payload = value;
            default -> text[column.ordinal()] = value;
        }
    }

    void deleted(Boolean value) {
        if (value == null) {
            fail("DELETED is neither true nor false");
        } else {
            deleted = value;
        }
    }

    void updatedAt(Instant value) {
        updatedAt = value;
    }

    /** The PAYLOAD as JSON text, copied as the file holds it; the engine validates it. */
    void payload(String json) {
        payload = json;
    }

    /** The record as a SourceRow: unreadable if a problem was found, else its values with UPDATED_AT or the file's time. */
    SourceRow toRow(String rowKey, Instant fileTime) {
        if (problem != null) {
            return SourceRow.unreadable(rowKey, problem);
        }
        return SourceRow.builder().rowKey(rowKey)
                .updatedAt(updatedAt != null ? updatedAt : fileTime)
                .externalId(text[Column.EXTERNAL_ID.ordinal()])
                .aliasName(text[Column.ALIAS_NAME.ordinal()])
                .aliasLabel(text[Column.ALIAS_LABEL.ordinal()])
                .brazeId(text[Column.BRAZE_ID.ordinal()])
                .email(text[Column.EMAIL.ordinal()])
                .phone(text[Column.PHONE.ordinal()])
                .id(text[Column.ID.ordinal()])
                .deleted(deleted)
                .payload(payload)
                .build();
    }

    /** "true" or "false" in any case (surrounding spaces allowed), else null. */
    static Boolean parseBoolean(String value) {
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (trimmed.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        return null;
    }
}
