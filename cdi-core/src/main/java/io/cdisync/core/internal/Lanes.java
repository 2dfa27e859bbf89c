package io.cdisync.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Where translated rows wait to be sent, keeping one user's rows in order while filling every request.
 *
 * <p>A user's (or catalog item's) rows always go to the same lane, chosen by hash. A lane is either idle
 * or <em>busy</em>: part of exactly one request in flight. A request takes rows from idle lanes, the lane
 * holding the oldest row first (so the watermark, which waits for the oldest row, keeps moving), each lane
 * contributing a prefix of its queue; the lanes it took from stay busy until
 * its answer is in. So a user never has two requests in flight, and inside a request its rows keep their
 * order. A request fills up (75 rows) from as many lanes as it needs, so requests stay full even when
 * each lane holds only a few rows, as in a small sync or at the end of a large one. Used on the sync's
 * thread only.
 */
final class Lanes<T extends Lanes.Row> {
    /** A row waiting in a lane. */
    interface Row {
        /** Equal for rows that must keep their order. */
        int laneHash();

        /** Catalog items: a request holds only upserts or only deletes. */
        boolean delete();

        /** Read order: lower is older. */
        long order();
    }

    /** Rows taken for one request, and the lanes it keeps busy. */
    record Batch<T>(List<T> rows, List<Object> lanes) {
    }

    private final Lane<T>[] lanes;
    /** Idle lanes with rows, oldest head row first (a queued lane's head does not change: rows join at the tail). */
    private final PriorityQueue<Lane<T>> ready = new PriorityQueue<>(
            Comparator.comparingLong((Lane<T> lane) -> lane.rows.peekFirst().order()));
    private final int batchLimit;
    private int readyRows;

    @SuppressWarnings("unchecked")
    Lanes(int count, int batchLimit) {
        this.lanes = new Lane[count];
        for (int i = 0; i < count; i++) {
            lanes[i] = new Lane<>();
        }
        this.batchLimit = batchLimit;
    }

    /** Queues a row in its lane. */
    void add(T row) {
        Lane<T> lane = lanes[Math.floorMod(row.laneHash(), lanes.length)];
        lane.rows.addLast(row);
        if (!lane.busy) {
            readyRows++;
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

    /** Takes up to a request's worth of rows from idle lanes; null when none is waiting. */
    Batch<T> next() {
        if (ready.isEmpty()) {
            return null;
        }
        List<T> rows = new ArrayList<>(Math.min(batchLimit, readyRows));
        List<Object> used = new ArrayList<>(2);
        List<Lane<T>> other = null; // lanes whose next row is of the other kind (catalog upsert vs delete)
        boolean delete = ready.peek().rows.peekFirst().delete();
        while (rows.size() < batchLimit && !ready.isEmpty()) {
            Lane<T> lane = ready.poll();
            if (lane.rows.peekFirst().delete() != delete) {
                if (other == null) {
                    other = new ArrayList<>();
                }
                other.add(lane);
                continue;
            }
            lane.queued = false;
            lane.busy = true;
            readyRows -= lane.rows.size();
            used.add(lane);
            while (rows.size() < batchLimit && !lane.rows.isEmpty() && lane.rows.peekFirst().delete() == delete) {
                rows.add(lane.rows.pollFirst());
            }
        }
        if (other != null) {
            ready.addAll(other); // they keep their turn for the next request
        }
        return new Batch<>(rows, used);
    }

    /** The request of {@code batch} is answered: its lanes are idle again. */
    @SuppressWarnings("unchecked")
    void release(Batch<T> batch) {
        for (Object o : batch.lanes()) {
            Lane<T> lane = (Lane<T>) o;
            lane.busy = false;
            if (!lane.rows.isEmpty()) {
                readyRows += lane.rows.size();
                lane.queued = true;
                ready.add(lane);
            }
        }
    }

    private static final class Lane<T> {
        final ArrayDeque<T> rows = new ArrayDeque<>();
        boolean busy;
        boolean queued;
    }
}
