package io.cdisync.testkit;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A CDI source table in a {@link FakeWarehouse}: rows ordered by UPDATED_AT, editable at any time
 * (also while a sync reads it), with injectable failures. Thread-safe.
 */
public final class FakeTable {
    private final String name;
    private final ConcurrentSkipListMap<Key, SourceRow> rows = new ConcurrentSkipListMap<>();
    private final Map<String, Key> keysByRowKey = new ConcurrentHashMap<>();
    private final List<SourceRow> nullTimestampRows = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final List<Consumer<FakeTable>> batchHooks = new CopyOnWriteArrayList<>();
    private volatile CdiException failOnRead;
    private volatile CdiException failMidStream;
    private volatile long failAfterRows = -1;

    FakeTable(String name) {
        this.name = name;
    }

    /** A user-attributes row identified by external id. */
    public static SourceRow attributes(Instant updatedAt, String externalId, String payloadJson) {
        return SourceRow.builder().updatedAt(updatedAt).externalId(externalId).payload(payloadJson).build();
    }

    /** The table's name. */
    public String name() {
        return name;
    }

    /**
     * Adds a row. A row without a row key gets {@code "<table>#<n>"}; a row with the key of an existing
     * row replaces it (an UPDATE: the old version disappears from the table).
     *
     * @return the row as stored (with its row key)
     */
    public SourceRow insert(SourceRow row) {
        Objects.requireNonNull(row, "row");
        long seq = sequence.incrementAndGet();
        SourceRow stored = row.rowKey() != null ? row : row.toBuilder().rowKey(name + "#" + seq).build();
        if (stored.updatedAt() == null) {
            nullTimestampRows.add(stored);
            return stored;
        }
        Key key = new Key(stored.updatedAt(), seq);
        Key previous = keysByRowKey.put(stored.rowKey(), key);
        rows.put(key, stored);
        if (previous != null) {
            rows.remove(previous);
        }
        return stored;
    }

    /** Adds several rows, in order. */
    public void insertAll(Iterable<SourceRow> newRows) {
        newRows.forEach(this::insert);
    }

    /** Removes the row with this key; true if there was one. */
    public boolean delete(String rowKey) {
        Key key = keysByRowKey.remove(rowKey);
        return key != null && rows.remove(key) != null;
    }

    /** All rows with an UPDATED_AT, in UPDATED_AT order. */
    public List<SourceRow> rows() {
        return new ArrayList<>(rows.values());
    }

    /** Number of rows (NULL UPDATED_AT included). */
    public int size() {
        return rows.size() + nullTimestampRows.size();
    }

    /** Runs {@code hook} each time a read hands out a batch of this table, before the engine sees it: edit the table mid-sync. */
    public void onBatchRead(Consumer<FakeTable> hook) {
        batchHooks.add(Objects.requireNonNull(hook, "hook"));
    }

    /** The next read fails at once with {@code failure} (e.g. an {@link CdiException.AccessDenied}). One-shot. */
    public void failNextRead(CdiException failure) {
        this.failOnRead = Objects.requireNonNull(failure, "failure");
    }

    /** The next read hands out {@code rows} rows, then fails with {@code failure} (a connection lost mid-stream). One-shot. */
    public void failReadAfter(long rows, CdiException failure) {
        this.failMidStream = Objects.requireNonNull(failure, "failure");
        this.failAfterRows = rows;
    }

    /** Clears injected failures and hooks. */
    public void clearFaults() {
        failOnRead = null;
        failMidStream = null;
        failAfterRows = -1;
        batchHooks.clear();
    }

    void beforeRead() {
        CdiException failure = failOnRead;
        if (failure != null) {
            failOnRead = null;
            throw failure;
        }
    }

    /** How many more rows this read may hand out; throws when the injected mid-stream failure is due. */
    long checkFailure(long handedOut) {
        CdiException failure = failMidStream;
        if (failure == null) {
            return Long.MAX_VALUE;
        }
        if (handedOut >= failAfterRows) {
            failMidStream = null;
            failAfterRows = -1;
            throw failure;
        }
        return failAfterRows - handedOut;
    }

    void afterBatch() {
        for (Consumer<FakeTable> hook : batchHooks) {
            hook.accept(this);
        }
    }

    List<SourceRow> nullTimestampRows() {
        return List.copyOf(nullTimestampRows);
    }

    NavigableMap<Key, SourceRow> rowsAfter(Key position) {
        return position == null ? rows : rows.tailMap(position, false);
    }

    @Override
    public String toString() {
        return "FakeTable{" + name + ", rows=" + size() + "}";
    }

    /** Table order: UPDATED_AT, then insertion. */
    record Key(Instant updatedAt, long seq) implements Comparable<Key> {
        static Key before(Instant updatedAt) {
            return new Key(updatedAt, Long.MIN_VALUE);
        }

        @Override
        public int compareTo(Key other) {
            int byTime = updatedAt.compareTo(other.updatedAt);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }
    }
}
