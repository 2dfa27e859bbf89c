package io.cdisync.core.internal;

import io.cdisync.braze.BrazeException;
import io.cdisync.braze.BrazeResponse;
import io.cdisync.braze.ObjectError;
import io.cdisync.core.CdiException;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.TableWatermark;
import io.cdisync.core.spi.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a sync: the data flow of architecture.md, on the calling thread.
 *
 * <p>All state is confined to that thread. Braze answers arrive on the client's threads and are handed
 * over through a queue, so there are no locks. Rows get a place in {@link #pending} in read order; the
 * watermark advances over the longest prefix of rows that are done (delivered, rejected, or invalid).
 * One lane per request in flight; a user's rows always go to the same lane, and a lane has one request
 * outstanding at a time, so one user's rows reach Braze in order.
 */
public final class SyncRun {
    private static final Logger log = LoggerFactory.getLogger(SyncRun.class);
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RunSettings settings;
    private final boolean dryRun;
    private final RowTranslator translator;
    private final Endpoint endpoint;
    private final int batchLimit;
    private final String syncId;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Edge edge;
    private final Lane[] lanes;
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final List<RowError> rowErrors = new ArrayList<>();
    private final int maxPending;

    private Instant startWatermark;
    private Instant watermark;
    private Instant committedWatermark;
    private long version;
    private Instant lastReadAt;
    private int inFlight;
    private boolean flushing;
    private boolean stopSending;
    private CdiException failure;
    private long lastCommitNanos;
    private long lastProgressNanos;
    private long runStartNanos;
    private long deadlineNanos;

    private long rowsRead;
    private long rowsDelivered;
    private long rowsFailed;
    private long rowsSkipped;
    private long rowsHeldBack;
    private long rowsAccepted;
    private long rowErrorsDropped;
    private long requests;
    private long rateLimitedWaits;

    public SyncRun(RunSettings settings, boolean dryRun) {
        this.settings = settings;
        this.dryRun = dryRun;
        this.syncId = settings.syncId();
        this.translator = new RowTranslator(settings.dataType(), settings.resolver(), settings.updateExistingOnly());
        this.endpoint = Endpoint.of(settings.dataType(), settings.catalog());
        this.batchLimit = endpoint.batchLimit();
        this.edge = new Edge(settings.lookback());
        this.lanes = new Lane[settings.concurrency()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane();
        }
        this.maxPending = Math.max(4 * batchLimit * lanes.length, settings.fetchSize() * 2);
    }

    public SyncReport execute() {
        Instant startedAt = settings.clock().instant();
        long startNanos = System.nanoTime();
        runStartNanos = startNanos;
        deadlineNanos = settings.runTimeout() == null ? startNanos + Long.MAX_VALUE / 2 : startNanos + settings.runTimeout().toNanos();
        lastCommitNanos = startNanos;
        lastProgressNanos = startNanos;
        boolean capReached = false;
        try {
            loadWatermark();
            notify(l -> l.onStart(syncId, startWatermark));
            Instant until = startedAt.minus(settings.settleDelay());
            Instant from = startWatermark == null ? null : startWatermark.minus(settings.lookback());
            if (from != null && from.isAfter(until)) {
                from = until;
            }
            log.info("sync {}: reading {} from {} to {}{}", syncId, settings.source().describe(),
                    from == null ? "the beginning" : from, until, dryRun ? " (dry run)" : "");
            try {
                capReached = readAndSend(new ReadRequest(from, until, settings.fetchSize()), until);
            } catch (CdiException e) {
                // A source failure: rows already read are still worth delivering before the run ends.
                fail(e, e instanceof CdiException.Interrupted);
            } catch (RuntimeException e) {
                fail(new CdiException("unexpected failure reading " + settings.source().describe() + ": " + e, false, e), false);
            }
            finishSending();
        } catch (CdiException e) {
            fail(e, true);
        } catch (RuntimeException e) {
            fail(new CdiException("unexpected failure in sync " + syncId + ": " + e, false, e), true);
        } finally {
            checkpoint(true);
        }
        SyncReport report = report(startedAt, startNanos, capReached);
        progress(true);
        notify(l -> l.onFinish(report));
        log.info("sync {}: {} - read {}, delivered {}, failed {}, skipped {}, held back {}", syncId, report.status(),
                rowsRead, rowsDelivered, rowsFailed, rowsSkipped, rowsHeldBack);
        return report;
    }

    private void loadWatermark() {
        Optional<StoredWatermark> stored;
        try {
            stored = settings.store().load(syncId);
        } catch (CdiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CdiException.WatermarkStoreFailure("cannot load the watermark of sync " + syncId + ": " + e.getMessage(), e);
        }
        if (stored.isEmpty()) {
            return;
        }
        Watermark loaded = stored.get().watermark();
        if (!(loaded instanceof TableWatermark table)) {
            throw new CdiException.ConfigurationError("sync " + syncId + " has a stored watermark of another kind ("
                    + loaded.getClass().getSimpleName() + "); a sync id cannot change its source kind");
        }
        version = stored.get().version();
        startWatermark = table.updatedAt();
        watermark = startWatermark;
        committedWatermark = startWatermark;
        edge.load(table.edge());
    }

    /** Reads the source and hands rows to lanes; returns true when the row cap stopped the read. */
    private boolean readAndSend(ReadRequest request, Instant until) {
        try (RowStream stream = settings.source().read(request)) {
            RowBatch batch;
            while (failure == null && (batch = stream.nextBatch()) != null) {
                for (SourceRow row : batch.rows()) {
                    accept(row, until);
                    if (failure != null) {
                        return false;
                    }
                    if (rowsAccepted >= settings.maxRowsPerRun()) {
                        log.info("sync {}: row cap of {} reached; the next run continues from the checkpoint", syncId,
                                settings.maxRowsPerRun());
                        return true;
                    }
                }
                drainCompletions();
                while (failure == null && pending.size() > maxPending) {
                    flushIdleLanes();
                    if (inFlight == 0) {
                        break;
                    }
                    awaitCompletion();
                }
                checkpoint(false);
                progress(false);
                if (System.nanoTime() - deadlineNanos > 0) {
                    timedOut();
                    return false;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new CdiException.Interrupted("sync " + syncId + " was interrupted", null);
                }
            }
        }
        return false;
    }

    private void accept(SourceRow row, Instant until) {
        rowsRead++;
        Instant updatedAt = row.updatedAt();
        String rowKey = row.rowKey() != null ? row.rowKey() : "#" + rowsRead + " (UPDATED_AT " + updatedAt + ")";
        if (updatedAt == null) {
            rowError(new RowError(rowKey, null, null, RowError.Kind.INVALID_UPDATED_AT,
                    "UPDATED_AT is NULL; every row needs the time it was last changed"));
            return;
        }
        if (lastReadAt != null && updatedAt.isBefore(lastReadAt)) {
            fail(new CdiException.ConfigurationError("source " + settings.source().describe()
                    + " returned rows out of UPDATED_AT order (" + updatedAt + " after " + lastReadAt
                    + "); the source must order rows by UPDATED_AT"), false);
            return;
        }
        lastReadAt = updatedAt;
        if (updatedAt.isAfter(until)) {
            rowsHeldBack++;
            return;
        }
        if (startWatermark != null && !updatedAt.isAfter(startWatermark) && edge.contains(updatedAt, row)) {
            rowsSkipped++;
            return;
        }
        rowsAccepted++;
        Pending entry = new Pending(updatedAt, row);
        pending.addLast(entry);
        RowTranslator.Translated translated;
        try {
            translated = translator.translate(row);
        } catch (InvalidRow invalid) {
            rowError(new RowError(rowKey, updatedAt, null, invalid.kind(), invalid.getMessage()));
            entry.done = true;
            advance();
            return;
        }
        Lane lane = lanes[Math.floorMod(translated.laneKey().hashCode(), lanes.length)];
        lane.buffer.add(new Item(entry, rowKey, translated));
        if (!lane.busy && lane.buffer.size() >= batchLimit) {
            send(lane);
        }
    }

    /** Sends the lane's next batch: up to the endpoint's limit, all upserts or all deletes (catalogs). */
    private void send(Lane lane) {
        boolean delete = lane.buffer.get(0).translated.delete();
        int size = 1;
        while (size < batchLimit && size < lane.buffer.size() && lane.buffer.get(size).translated.delete() == delete) {
            size++;
        }
        List<Item> items = new ArrayList<>(lane.buffer.subList(0, size));
        lane.buffer.subList(0, size).clear();
        List<RowTranslator.Translated> batch = new ArrayList<>(size);
        for (Item item : items) {
            batch.add(item.translated);
        }
        if (dryRun) {
            completions.add(new Completion(lane, items, new BrazeResponse(200, "dry run", List.of(), 0, 0), null));
        } else {
            endpoint.send(settings.braze(), batch)
                    .whenComplete((response, error) -> completions.add(new Completion(lane, items, response, error)));
        }
        lane.busy = true;
        inFlight++;
    }

    private void flushIdleLanes() {
        for (Lane lane : lanes) {
            if (!lane.busy && !lane.buffer.isEmpty()) {
                send(lane);
            }
        }
    }

    private void finishSending() {
        flushing = true;
        while (!stopSending) {
            drainCompletions();
            flushIdleLanes();
            if (inFlight == 0) {
                break;
            }
            awaitCompletion();
            checkpoint(false);
            progress(false);
        }
        // After a Braze or store failure, wait for what is already in flight: its outcome is worth recording.
        while (inFlight > 0) {
            awaitCompletion();
        }
    }

    private void drainCompletions() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            complete(completion);
        }
    }

    private void awaitCompletion() {
        if (System.nanoTime() - deadlineNanos > 0) {
            timedOut();
            return;
        }
        try {
            Completion completion = completions.poll(100, TimeUnit.MILLISECONDS);
            if (completion != null) {
                complete(completion);
                drainCompletions();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new CdiException.Interrupted("sync " + syncId + " was interrupted while waiting for Braze; rows in flight"
                    + " will be sent again by the next run", e), true);
            inFlight = 0; // abandon: their rows stay undone, so the watermark does not pass them
        }
    }

    private void timedOut() {
        fail(new CdiException.TimedOut("sync " + syncId + " exceeded its run timeout of " + settings.runTimeout()
                + "; rows not yet delivered will be sent by the next run"), true);
        inFlight = 0; // abandon what is in flight: those rows stay undone, so the watermark does not pass them
    }

    private void complete(Completion completion) {
        Lane lane = completion.lane;
        lane.busy = false;
        inFlight--;
        if (completion.error != null) {
            fail(brazeFailure(completion.error), true);
            return;
        }
        BrazeResponse response = completion.response;
        if (!dryRun) {
            requests++;
        }
        rateLimitedWaits += response.rateLimitedWaits();
        List<RowTranslator.Translated> batch = new ArrayList<>(completion.items.size());
        for (Item item : completion.items) {
            batch.add(item.translated);
        }
        String outOfSpace = endpoint.globalError(response);
        if (outOfSpace != null) {
            // Not the rows' fault: the catalog is full. The batch stays undone, so the watermark stops before it.
            fail(new CdiException.BrazeFailure(outOfSpace, response.statusCode(), null, false, null), true);
            return;
        }
        Map<Integer, ObjectError> errors = endpoint.errors(response, batch);
        for (int i = 0; i < completion.items.size(); i++) {
            Item item = completion.items.get(i);
            ObjectError error = errors.get(i);
            if (error == null) {
                rowsDelivered++;
            } else {
                rowError(new RowError(item.rowKey, item.pending.updatedAt, item.translated.target(),
                        RowError.Kind.REJECTED_BY_BRAZE, "rejected by Braze: " + error.message()));
            }
            item.pending.done = true;
        }
        advance();
        if (!stopSending && !lane.buffer.isEmpty() && (flushing || lane.buffer.size() >= batchLimit)) {
            send(lane);
        }
    }

    /** Moves the watermark over the done prefix of the rows read. */
    private void advance() {
        Pending head;
        while ((head = pending.peekFirst()) != null && head.done) {
            pending.removeFirst();
            if (watermark == null || head.updatedAt.isAfter(watermark)) {
                watermark = head.updatedAt;
            }
            edge.add(head.updatedAt, head.row);
        }
        if (watermark != null) {
            edge.pruneBelow(watermark);
        }
    }

    private void checkpoint(boolean force) {
        if (dryRun || watermark == null || failure instanceof CdiException.WatermarkStoreFailure) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastCommitNanos < settings.checkpointInterval().toNanos()) {
            return;
        }
        if (watermark.equals(committedWatermark) && !edge.changed()) {
            return;
        }
        lastCommitNanos = now;
        TableWatermark next = new TableWatermark(watermark, edge.snapshot());
        try {
            version = settings.store().commit(syncId, version, next);
        } catch (CdiException e) {
            fail(e, true);
            return;
        } catch (RuntimeException e) {
            fail(new CdiException.WatermarkStoreFailure("cannot save the watermark of sync " + syncId + ": " + e.getMessage(), e), true);
            return;
        }
        edge.markSaved();
        committedWatermark = watermark;
        Instant saved = watermark;
        notify(l -> l.onCheckpoint(syncId, saved));
    }

    private void rowError(RowError error) {
        rowsFailed++;
        if (rowErrors.size() < settings.maxReportedErrors()) {
            rowErrors.add(error);
        } else {
            rowErrorsDropped++;
        }
        log.debug("sync {}: {}", syncId, error);
        notify(l -> l.onRowError(syncId, error));
    }

    /**
     * Records the run's global failure (the first one wins). {@code stopSending} is false for source
     * failures: rows already read still go to Braze before the run ends.
     */
    private void fail(CdiException e, boolean stopSending) {
        if (stopSending) {
            this.stopSending = true;
        }
        if (failure != null) {
            return;
        }
        failure = e;
        log.warn("sync {} failed: {}", syncId, e.getMessage());
        notify(l -> l.onGlobalError(syncId, e));
    }

    private CdiException brazeFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof BrazeException braze) {
            return new CdiException.BrazeFailure(braze.getMessage(), braze.statusCode(), braze.requestId(), braze.retryable(), braze);
        }
        return new CdiException("sending to Braze failed: " + cause, true, cause);
    }

    private void progress(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastProgressNanos < PROGRESS_INTERVAL_NANOS) {
            return;
        }
        lastProgressNanos = now;
        SyncProgress progress = new SyncProgress(rowsRead, rowsDelivered, rowsFailed, rowsSkipped, rateLimitedWaits,
                Duration.ofNanos(now - runStartNanos));
        notify(l -> l.onProgress(syncId, progress));
    }

    private SyncReport report(Instant startedAt, long startNanos, boolean capReached) {
        SyncStatus status;
        if (failure != null) {
            status = SyncStatus.ERROR;
        } else if (capReached) {
            status = SyncStatus.LIMIT_EXCEEDED;
        } else if (rowsFailed > 0) {
            status = SyncStatus.PARTIAL_SUCCESS;
        } else {
            status = SyncStatus.SUCCESS;
        }
        return new SyncReport(syncId, settings.dataType(), status, dryRun, rowsRead, rowsDelivered, rowsFailed, rowsSkipped,
                rowsHeldBack, rowErrors, rowErrorsDropped, requests, rateLimitedWaits, startWatermark,
                dryRun ? startWatermark : committedWatermark, startedAt, Duration.ofNanos(System.nanoTime() - startNanos), failure);
    }

    private void notify(java.util.function.Consumer<io.cdisync.core.SyncListener> call) {
        try {
            call.accept(settings.listener());
        } catch (RuntimeException e) {
            log.warn("sync {}: a listener threw {}; ignored", syncId, e.toString());
        }
    }

    /** A row read and not yet known done, in read order. */
    private static final class Pending {
        final Instant updatedAt;
        final SourceRow row;
        boolean done;

        Pending(Instant updatedAt, SourceRow row) {
            this.updatedAt = updatedAt;
            this.row = row;
        }
    }

    private record Item(Pending pending, String rowKey, RowTranslator.Translated translated) {
    }

    private static final class Lane {
        final List<Item> buffer = new ArrayList<>();
        boolean busy;
    }

    private record Completion(Lane lane, List<Item> items, BrazeResponse response, Throwable error) {
    }
}
