package io.cdisync.core.internal;

import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.TableWatermark.DeliveredRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows done inside the lookback window below the watermark, so re-reads of that window (ties at
 * the watermark, late rows) send only what is new. Fingerprints are computed lazily, at a checkpoint or
 * when a re-read row is looked up, because most rows leave the window before anyone asks.
 */
final class Edge {
    private final Duration lookback;
    private final TreeMap<Instant, List<Entry>> entries = new TreeMap<>();
    private boolean changed;

    Edge(Duration lookback) {
        this.lookback = lookback;
    }

    void load(List<DeliveredRow> rows) {
        for (DeliveredRow row : rows) {
            entries.computeIfAbsent(row.updatedAt(), t -> new ArrayList<>(1)).add(new Entry(row.fingerprint()));
        }
    }

    boolean contains(Instant updatedAt, SourceRow row) {
        List<Entry> atTime = entries.get(updatedAt);
        if (atTime == null) {
            return false;
        }
        String fingerprint = Fingerprints.of(row);
        for (Entry entry : atTime) {
            if (entry.fingerprint().equals(fingerprint)) {
                return true;
            }
        }
        return false;
    }

    void add(Instant updatedAt, SourceRow row) {
        entries.computeIfAbsent(updatedAt, t -> new ArrayList<>(1)).add(new Entry(row));
        changed = true;
    }

    /** Forgets rows that fell out of the window below {@code watermark}. */
    void pruneBelow(Instant watermark) {
        Map<Instant, List<Entry>> below = entries.headMap(watermark.minus(lookback), false);
        if (!below.isEmpty()) {
            below.clear();
            changed = true;
        }
    }

    boolean changed() {
        return changed;
    }

    void markSaved() {
        changed = false;
    }

    List<DeliveredRow> snapshot() {
        List<DeliveredRow> rows = new ArrayList<>();
        for (Map.Entry<Instant, List<Entry>> atTime : entries.entrySet()) {
            for (Entry entry : atTime.getValue()) {
                rows.add(new DeliveredRow(atTime.getKey(), entry.fingerprint()));
            }
        }
        return rows;
    }

    /** A done row; holds the row until its fingerprint is first needed. */
    private static final class Entry {
        private SourceRow row;
        private String fingerprint;

        Entry(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        Entry(SourceRow row) {
            this.row = row;
        }

        String fingerprint() {
            if (fingerprint == null) {
                fingerprint = Fingerprints.of(row);
                row = null;
            }
            return fingerprint;
        }
    }
}
