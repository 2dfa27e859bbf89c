package io.cdisync.core.ops;

import io.cdisync.core.RowError;
import io.cdisync.core.spi.SourceRow;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A row that failed, as the {@link RunLog} keeps it until it is retried successfully or its retention
 * ends. Keyed by integration, row key and UPDATED_AT: a row failing again replaces its entry.
 *
 * @param integration the integration's name
 * @param rowKey      the row as its source names it
 * @param updatedAt   its UPDATED_AT, or null when it had none
 * @param identifier  the user or item it resolved to, or null
 * @param kind        the class of problem
 * @param reason      what is wrong; never the payload
 * @param runId       the run that recorded this failure last
 * @param recordedAt  when (milliseconds)
 * @param attempts    how many runs failed it (1, then 1 more per failed retry)
 * @param row         the row's columns and payload, kept only when the integration allows it
 *                    ({@link Integration#keepFailedRowPayloads()}); null otherwise. Needed to retry it.
 */
public record FailedRow(String integration, String rowKey, Instant updatedAt, String identifier, RowError.Kind kind,
        String reason, String runId, Instant recordedAt, int attempts, SourceRow row) {

    public FailedRow {
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(rowKey, "rowKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(runId, "runId");
        recordedAt = Objects.requireNonNull(recordedAt, "recordedAt").truncatedTo(ChronoUnit.MILLIS);
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
    }

    /** A failed row from a run's {@link RowError}. */
    public static FailedRow of(String integration, RowError error, String runId, Instant recordedAt, SourceRow row) {
        return new FailedRow(integration, error.rowKey(), error.updatedAt(), error.identifier(), error.kind(), error.reason(), runId,
                recordedAt, 1, row);
    }

    /** What identifies this row within its integration. */
    public Key key() {
        return new Key(rowKey, updatedAt);
    }

    /** True when the row's columns were kept, so it can be retried. */
    public boolean retryable() {
        return row != null;
    }

    /** This row failed again in run {@code newRunId}, for {@code newReason}. */
    public FailedRow failedAgain(RowError error, String newRunId, Instant at) {
        return new FailedRow(integration, rowKey, updatedAt, error.identifier() != null ? error.identifier() : identifier,
                error.kind(), error.reason(), newRunId, at, attempts + 1, row);
    }

    @Override
    public String toString() {
        // The identifier and payload may be personal data: printed rows show their key and reason only.
        return "FailedRow{" + integration + ", " + rowKey + ", updatedAt=" + updatedAt + ", " + kind + ": " + reason
                + ", attempts=" + attempts + (row == null ? "" : ", retryable") + "}";
    }

    /**
     * The key of a failed row within its integration.
     *
     * @param rowKey    the row key
     * @param updatedAt its UPDATED_AT, or null
     */
    public record Key(String rowKey, Instant updatedAt) {
        public Key {
            Objects.requireNonNull(rowKey, "rowKey");
        }
    }
}
