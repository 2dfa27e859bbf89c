package io.cdisync.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Where translated rows wait to be sent, keeping one user's rows in order while filling every request.
 *
 * <p>A user's (or catalog item's) rows always go to the same lane, chosen by hash. A lane is either idle
 * or <em>busy</em>: part of exactly one request in flight. A request takes rows from idle lanes, the lane
 * holding the oldest row first (so the watermark, which waits for the oldest row, keeps moving), each lane
 * contributing a prefix of its queue; the lanes it took from stay busy until
 * its answer is in. So a user never has two requests in flight, and inside a request its rows keep their
 * order. A request fills up from as many lanes as it needs, so requests stay full even when
 * each lane holds only a few rows, as in a small sync or at the end of a large one.
 *
 * <p>A request closes at the first of: {@link Limits#rows} rows; a body that would pass
 * {@link Limits#bytes} (each row's encoded size, one separator byte between rows and the request's framing
 * counted; a single row larger than that still goes alone, for the caller to refuse); a row of another
 * {@link Row#kind kind} (catalog upserts and deletes, or {@code /users/delete}'s identifier kinds, never
 * share a request); with {@link Limits#uniqueKeys}, a second row of the same {@link Row#key key} (Braze
 * refuses duplicate catalog item ids in one request: a later version of an item waits for a later request).
 *
 * <p>Rows of an answered request that must go again ({@link #release(Batch, List)}, {@link #narrow}) go back
 * to the <em>front</em> of their lanes, in their order, so they stay ahead of their user's later rows. Used
 * on the sync's thread only.
 */
final class Lanes<T extends Lanes.Row> {
    /** A row waiting in a lane. */
    interface Row {
        /** Equal for rows that must keep their order. */
        int laneHash();

        /** Rows of different kinds never share a request (catalog upsert vs delete, delete identifier kinds). */
        int kind();

        /** Read order: lower is older. */
        long order();

        /** The row's size in the request body, in bytes. */
        int bytes();

        /** With {@link Limits#uniqueKeys}: rows of equal keys never share a request. Equal keys have equal lane hashes. */
        Object key();
    }

    /**
     * What one request may hold.
     *
     * @param rows         rows per request
     * @param bytes        largest request body in bytes
     * @param framingBytes the body's bytes besides its rows and the commas between them
     * @param uniqueKeys   at most one row per {@link Row#key} in a request
     */
    record Limits(int rows, long bytes, int framingBytes, boolean uniqueKeys) {
        Limits {
            if (rows < 1 || bytes <= framingBytes) {
                throw new IllegalArgumentException("a request must hold a row: rows " + rows + ", bytes " + bytes
                        + ", framing " + framingBytes);
            }
        }

        /** Only a row limit (tests). */
        static Limits rows(int rows) {
            return new Limits(rows, Long.MAX_VALUE, 0, false);
        }

        /** Whether {@code bytes} (a row's size) can go in a request at all. */
        boolean fits(long rowBytes) {
            return framingBytes + rowBytes <= bytes;
        }
    }

    /** Rows taken for one request, and the lanes it keeps busy. */
    record Batch<T>(List<T> rows, List<Object> lanes) {
    }

    private final Lane<T>[] lanes;
    /** Idle lanes with rows, oldest head row first (a queued lane's head does not change: rows join at the tail). */
    private final PriorityQueue<Lane<T>> ready = new PriorityQueue<>(
            Comparator.comparingLong((Lane<T> lane) -> lane.rows.peekFirst().order()));
    private final Limits limits;
    private int readyRows;
    private long readyBytes;

    @SuppressWarnings("unchecked")
    Lanes(int count, Limits limits) {
        this.lanes = new Lane[count];
        for (int i = 0; i < count; i++) {
            lanes[i] = new Lane<>();
        }
        this.limits = limits;
    }

    /** Queues a row in its lane. */
    void add(T row) {
        Lane<T> lane = laneOf(row);
        lane.rows.addLast(row);
        lane.bytes += row.bytes();
        if (!lane.busy) {
            readyRows++;
            readyBytes += row.bytes();
            if (!lane.queued) {
                lane.queued = true;
                ready.add(lane);
            }
        }
    }

    /** Rows in idle lanes: what the next request can take. */
    int readyRows() {
        return readyRows;
    }

    /** Whether idle lanes hold at least a full request, by rows or by bytes. */
    boolean fullRequestReady() {
        return readyRows >= limits.rows()
                || readyRows > 0 && limits.framingBytes() + readyBytes + readyRows - 1 >= limits.bytes();
    }

    /** Takes up to a request's worth of rows from idle lanes; null when none is waiting. */
    Batch<T> next() {
        if (ready.isEmpty()) {
            return null;
        }
        List<T> rows = new ArrayList<>(Math.min(limits.rows(), readyRows));
        List<Object> used = new ArrayList<>(2);
        List<Lane<T>> skipped = null; // lanes whose next row is of another kind, or does not fit: they keep their turn
        Set<Object> keys = limits.uniqueKeys() ? new HashSet<>() : null;
        int kind = ready.peek().rows.peekFirst().kind();
        long size = limits.framingBytes();
        boolean full = false;
        while (!full && rows.size() < limits.rows() && !ready.isEmpty()) {
            Lane<T> lane = ready.poll();
            T head = lane.rows.peekFirst();
            if (head.kind() != kind || !rows.isEmpty() && size + 1 + head.bytes() > limits.bytes()) {
                if (skipped == null) {
                    skipped = new ArrayList<>();
                }
                skipped.add(lane);
                full = head.kind() == kind;
                continue;
            }
            lane.queued = false;
            lane.busy = true;
            readyRows -= lane.rows.size();
            readyBytes -= lane.bytes;
            used.add(lane);
            while (rows.size() < limits.rows() && !lane.rows.isEmpty()) {
                T row = lane.rows.peekFirst();
                long more = (rows.isEmpty() ? 0 : 1) + row.bytes();
                if (row.kind() != kind || keys != null && keys.contains(row.key())) {
                    break;
                }
                if (!rows.isEmpty() && size + more > limits.bytes()) {
                    full = true;
                    break;
                }
                lane.rows.pollFirst();
                lane.bytes -= row.bytes();
                size += more;
                rows.add(row);
                if (keys != null) {
                    keys.add(row.key());
                }
            }
        }
        if (skipped != null) {
            ready.addAll(skipped);
        }
        return new Batch<>(rows, used);
    }

    /**
     * Keeps the first {@code keep} rows of an unanswered {@code batch} as a request of their own, holding the
     * same lanes; the other rows go back to the front of their lanes, to be sent once it is answered.
     */
    Batch<T> narrow(Batch<T> batch, int keep) {
        List<T> rows = batch.rows();
        requeue(rows.subList(keep, rows.size()));
        return new Batch<>(List.copyOf(rows.subList(0, keep)), batch.lanes());
    }

    /** The request of {@code batch} is answered: its lanes are idle again. */
    void release(Batch<T> batch) {
        release(batch, List.of());
    }

    /**
     * The request of {@code batch} is answered and {@code again} (rows of it, in its order) must be sent again:
     * they go back to the front of their lanes, ahead of their users' later rows; then the lanes are idle.
     */
    @SuppressWarnings("unchecked")
    void release(Batch<T> batch, List<T> again) {
        requeue(again);
        for (Object o : batch.lanes()) {
            Lane<T> lane = (Lane<T>) o;
            lane.busy = false;
            if (!lane.rows.isEmpty()) {
                readyRows += lane.rows.size();
                readyBytes += lane.bytes;
                lane.queued = true;
                ready.add(lane);
            }
        }
    }

    /** Puts rows of a request in flight (their lanes are busy) back at the front of their lanes, order kept. */
    private void requeue(List<T> rows) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            T row = rows.get(i);
            Lane<T> lane = laneOf(row);
            if (!lane.busy) {
                throw new IllegalStateException("a row goes back to its lane only while its request holds the lane");
            }
            lane.rows.addFirst(row);
            lane.bytes += row.bytes();
        }
    }

    private Lane<T> laneOf(T row) {
        return lanes[Math.floorMod(row.laneHash(), lanes.length)];
    }

    private static final class Lane<T> {
        final ArrayDeque<T> rows = new ArrayDeque<>();
        long bytes;
        boolean busy;
        boolean queued;
    }
}
