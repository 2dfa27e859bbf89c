package io.cdisync.core.internal;

import io.cdisync.core.RowError;

/**
 * Thrown inside the engine's per-row translation when a row breaks a rule; caught at once and turned
 * into a {@link RowError}. Never escapes the engine. No stack trace: it is control flow, not a bug.
 */
public final class InvalidRow extends Exception {
    private final RowError.Kind kind;

    public InvalidRow(RowError.Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public RowError.Kind kind() {
        return kind;
    }
}
