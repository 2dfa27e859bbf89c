package io.cdisync.core.spi;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The position of a table sync: the largest UPDATED_AT delivered, plus the rows already delivered at
 * the edge (UPDATED_AT within the lookback window below it), so that a later run re-reading that window
 * sends only what is new.
 *
 * <p>Every row with UPDATED_AT below {@code updatedAt - lookback} is done (delivered or definitively
 * rejected); rows inside the window are done exactly when their fingerprint is in {@code edge}.
 *
 * @param updatedAt the largest UPDATED_AT of the delivered prefix
 * @param edge      rows done inside the window, sorted, without duplicates
 */
public record TableWatermark(Instant updatedAt, List<DeliveredRow> edge) implements Watermark {
    private static final Comparator<DeliveredRow> ORDER =
            Comparator.comparing(DeliveredRow::updatedAt).thenComparing(DeliveredRow::fingerprint);

    public TableWatermark {
        Objects.requireNonNull(updatedAt, "updatedAt");
        TreeSet<DeliveredRow> sorted = new TreeSet<>(ORDER);
        sorted.addAll(Objects.requireNonNull(edge, "edge"));
        for (DeliveredRow row : sorted) {
            if (row.updatedAt().isAfter(updatedAt)) {
                throw new IllegalArgumentException("edge row at " + row.updatedAt() + " is after the watermark " + updatedAt);
            }
        }
        edge = List.copyOf(sorted);
    }

    /**
     * A row known to be done, by fingerprint: a hash of its identifier columns, UPDATED_AT and payload.
     *
     * @param updatedAt   the row's UPDATED_AT
     * @param fingerprint the row's fingerprint (opaque text)
     */
    public record DeliveredRow(Instant updatedAt, String fingerprint) {
        public DeliveredRow {
            Objects.requireNonNull(updatedAt, "updatedAt");
            Objects.requireNonNull(fingerprint, "fingerprint");
        }
    }
}
