package io.cdisync.core.internal;

import io.cdisync.braze.BrazeException;
import io.cdisync.braze.BrazeResponse;
import io.cdisync.core.CdiException;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.FileChunk;
import io.cdisync.core.spi.FileLedger;
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
 * Translated rows wait in {@link Lanes}: a user's rows always go to the same lane, and a lane is part of
 * at most one request in flight, so one user's rows reach Braze in order; a request takes rows from as
 * many idle lanes as it needs to be full. Rows read but not done are bounded in number and in bytes.
 */
public final class SyncRun {
    private static final Logger log = LoggerFactory.getLogger(SyncRun.class);
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Lanes per request in flight. More lanes would let requests wait less for a busy lane, but spread each
     * lane's rows over more of the read order, so the watermark (which waits for the oldest row) would
     * trail further behind what was delivered: more rows sent twice after a crash.
     */
    private static final int LANES_PER_REQUEST = 1;
    /** Rows read and not done, in requests' worth per request in flight (in flight, queued, waiting). */
    private static final int PENDING_REQUESTS_PER_SLOT = 3;
    /** Weight (about the bytes held) of rows read and not done; big payloads hit this before the row bound. */
    private static final long MAX_PENDING_BYTES = 48L << 20;

    private final RunSettings settings;
    private final boolean dryRun;
    private final RowTranslator translator;
    private final Endpoint endpoint;
    private final int batchLimit;
    private final String syncId;
    private final ArrayDeque<PendingRow> pending = new ArrayDeque<>();
    private final Lanes<PendingRow> lanes;
    private final int concurrency;
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final List<RowError> rowErrors = new ArrayList<>();
    private final int maxPendingRow;

    /** The position: a table's watermark, or (file sources) a ledger of files; set when the run starts. */
    private TableProgress table;
    private FileProgress files;
    private RunProgress progress;
    private Watermark storedPosition;
    private long version;
    private Instant lastReadAt;
    private int inFlight;
    private long pendingBytes;
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
        this.endpoint = Endpoint.of(settings.dataType(), settings.catalog(), settings.braze());
        this.batchLimit = endpoint.batchLimit();
        this.concurrency = settings.concurrency();
        this.lanes = new Lanes<>(LANES_PER_REQUEST * concurrency, endpoint.limits());
        this.maxPendingRow = Math.max(PENDING_REQUESTS_PER_SLOT * batchLimit * concurrency, settings.fetchSize() * 2);
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
            loadPosition(startedAt);
            notify(l -> l.onStart(syncId, progress.startInstant()));
            ReadRequest request;
            Instant until;
            if (files != null) {
                until = startedAt;
                request = new ReadRequest(null, until, settings.fetchSize(), storedPosition);
                log.info("sync {}: reading new files of {}{}", syncId, settings.source().describe(), dryRun ? " (dry run)" : "");
            } else {
                until = startedAt.minus(settings.settleDelay());
                request = table.request(until, settings.fetchSize(), storedPosition);
                log.info("sync {}: reading {} from {} to {}{}", syncId, settings.source().describe(),
                        request.from() == null ? "the beginning" : request.from(), until, dryRun ? " (dry run)" : "");
            }
            try {
                capReached = readAndSend(request, until);
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

    /**
     * Loads the stored position, or takes the source's initial one. A sync id keeps its kind of position:
     * a table's watermark cannot be read as a file ledger, nor the other way round.
     */
    private void loadPosition(Instant startedAt) {
        Watermark initial = settings.source().initialPosition(startedAt);
        Optional<StoredWatermark> stored;
        try {
            stored = settings.store().load(syncId);
        } catch (CdiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CdiException.WatermarkStoreFailure("cannot load the watermark of sync " + syncId + ": " + e.getMessage(), e);
        }
        Watermark loaded = stored.map(StoredWatermark::watermark).orElse(null);
        if (loaded != null && (initial instanceof FileLedger) != (loaded instanceof FileLedger)) {
            throw new CdiException.ConfigurationError("sync " + syncId + " has a stored position of another kind ("
                    + (loaded instanceof FileLedger ? "a file ledger" : "a table watermark") + ") than its source "
                    + settings.source().describe() + " keeps; a sync id cannot change its kind of source");
        }
        if (initial != null && !(initial instanceof FileLedger)) {
            throw new CdiException.ConfigurationError("source " + settings.source().describe()
                    + " gave an initial position of an unsupported kind: " + initial.getClass().getSimpleName());
        }
        version = stored.map(StoredWatermark::version).orElse(0L);
        if (initial instanceof FileLedger initialLedger) {
            storedPosition = loaded != null ? loaded : initialLedger;
            files = new FileProgress((FileLedger) storedPosition, loaded == null);
            progress = files;
        } else {
            storedPosition = loaded;
            table = new TableProgress(settings.lookback());
            if (loaded instanceof TableWatermark stored1) {
                table.load(stored1);
            }
            progress = table;
        }
    }

    /** Reads the source and hands rows to lanes; returns true when the row cap stopped the read. */
    private boolean readAndSend(ReadRequest request, Instant until) {
        try (RowStream stream = settings.source().read(request)) {
            RowBatch batch;
            while (failure == null && (batch = stream.nextBatch()) != null) {
                FileChunk chunk = batch.file();
                if (files != null && chunk == null) {
                    fail(new CdiException.ConfigurationError("source " + settings.source().describe()
                            + " keeps a file ledger but sent rows without their file"), false);
                    return false;
                }
                if (chunk != null && chunk.skipped() != null) {
                    rowError(new RowError(chunk.key(), null, null, RowError.Kind.FILE_SKIPPED, chunk.skipped()));
                }
                long record = chunk == null ? 0 : chunk.firstRecord();
                for (SourceRow row : batch.rows()) {
                    if (files != null) {
                        acceptFileRow(row, chunk, ++record);
                    } else {
                        accept(row, until);
                    }
                    if (failure != null) {
                        return false;
                    }
                    if (rowsAccepted >= settings.maxRowsPerRun()) {
                        log.info("sync {}: row cap of {} reached; the next run continues from the checkpoint", syncId,
                                settings.maxRowsPerRun());
                        return true;
                    }
                }
                if (files != null && chunk.endOfFile()) {
                    // The file is done once every row before this marker is: the marker waits in read order.
                    PendingRow marker = new PendingRow(null, null, rowsRead, chunk, record);
                    marker.endOfFile = true;
                    marker.done = true;
                    pending.addLast(marker);
                    advance();
                }
                drainCompletions();
                while (failure == null && (pending.size() > maxPendingRow || pendingBytes > MAX_PENDING_BYTES)) {
                    // A partial request only when nothing is in flight to free lanes: each request costs one
                    // unit of Braze's rate limit whatever it holds, so at the limit partial ones cost rows/s.
                    sendReady(inFlight == 0);
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
        if (row.payload() instanceof SourceRow.Unreadable unreadable) {
            rowError(unreadable(row, rowsRead, unreadable));
            return;
        }
        if (updatedAt == null) {
            rowError(new RowError(rowKey(row, rowsRead), null, null, RowError.Kind.INVALID_UPDATED_AT,
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
        if (table.alreadyDone(updatedAt, row)) {
            rowsSkipped++;
            return;
        }
        enqueue(new PendingRow(updatedAt, row, rowsRead, null, 0));
    }

    /** A file's row: no UPDATED_AT order or window; its place is its file and record number. */
    private void acceptFileRow(SourceRow row, FileChunk chunk, long record) {
        rowsRead++;
        PendingRow entry = new PendingRow(row.updatedAt(), row, rowsRead, chunk, record);
        if (row.payload() instanceof SourceRow.Unreadable unreadable) {
            rowError(unreadable(row, rowsRead, unreadable));
            entry.done = true;
            pending.addLast(entry);
            advance();
            return;
        }
        enqueue(entry);
    }

    private void enqueue(PendingRow entry) {
        SourceRow row = entry.row;
        Instant updatedAt = entry.updatedAt;
        rowsAccepted++;
        pending.addLast(entry);
        RowTranslator.Translated translated;
        try {
            translated = translator.translate(row);
        } catch (InvalidRow invalid) {
            rowError(new RowError(rowKey(row, entry.ordinal), updatedAt, null, invalid.kind(), invalid.getMessage()));
            entry.done = true;
            advance();
            return;
        }
        entry.translated = translated;
        entry.kind = endpoint.kind(translated);
        entry.key = endpoint.key(translated);
        entry.bytes = endpoint.bytes(translated);
        if (!endpoint.limits().fits(entry.bytes)) {
            rowError(tooLarge(entry, entry.bytes + endpoint.limits().framingBytes()));
            entry.done = true;
            advance();
            return;
        }
        entry.weight = translated.weight();
        pendingBytes += entry.weight;
        lanes.add(entry);
        sendReady(false);
    }

    /** How row errors name a row: the source's key, else its position in this read and its UPDATED_AT. */
    static String rowKey(SourceRow row, long ordinal) {
        return row.rowKey() != null ? row.rowKey() : "#" + ordinal + " (UPDATED_AT " + row.updatedAt() + ")";
    }

    /** The row error for a row whose request, holding it alone, is {@code requestBytes} long: over the limit. */
    private RowError tooLarge(PendingRow row, long requestBytes) {
        return new RowError(rowKey(row.row, row.ordinal), row.updatedAt, row.translated.target(), RowError.Kind.INVALID_PAYLOAD,
                "the row's Braze object makes a request of " + requestBytes + " bytes on its own; Braze accepts requests of"
                        + " at most " + endpoint.limits().bytes() + " bytes (the client's maxRequestBytes)");
    }

    /** The row error for a record the source could not read. */
    static RowError unreadable(SourceRow row, long ordinal, SourceRow.Unreadable unreadable) {
        return new RowError(rowKey(row, ordinal), null, null, RowError.Kind.UNREADABLE_ROW, unreadable.reason());
    }

    /**
     * Sends requests while a slot is free: full ones, or (when {@code partial}: flushing, or too much is
     * pending) whatever idle lanes hold.
     */
    private void sendReady(boolean partial) {
        while (!stopSending && inFlight < concurrency
                && (lanes.fullRequestReady() || (partial && lanes.readyRows() > 0))) {
            send(lanes.next());
        }
    }

    /** Sends one batch: within the endpoint's limits, rows of one kind (see {@link Lanes}). */
    private void send(Lanes.Batch<PendingRow> batch) {
        List<RowTranslator.Translated> objects = new ArrayList<>(batch.rows().size());
        for (PendingRow row : batch.rows()) {
            objects.add(row.translated);
        }
        if (dryRun) {
            completions.add(new Completion(batch, new BrazeResponse(200, "dry run", List.of(), 0, 0), null));
        } else {
            endpoint.send(settings.braze(), objects)
                    .whenComplete((response, error) -> completions.add(new Completion(batch, response, error)));
        }
        inFlight++;
    }

    private void finishSending() {
        flushing = true;
        while (!stopSending) {
            drainCompletions();
            sendReady(true);
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
        inFlight--;
        Lanes.Batch<PendingRow> sent = completion.batch;
        if (completion.error != null) {
            if (unwrap(completion.error) instanceof BrazeException.TooLarge tooLarge && !stopSending) {
                tooLarge(sent, tooLarge);
                return;
            }
            lanes.release(sent);
            fail(brazeFailure(completion.error), true);
            return;
        }
        BrazeResponse response = completion.response;
        if (!dryRun) {
            requests++;
        }
        rateLimitedWaits += response.rateLimitedWaits();
        List<PendingRow> rows = sent.rows();
        List<RowTranslator.Translated> batch = new ArrayList<>(rows.size());
        for (PendingRow row : rows) {
            batch.add(row.translated);
        }
        Answer answer = Answer.of(endpoint, response, batch);
        if (answer.globalError() != null) {
            // Not pinned on a row (a full catalog, a refusal naming no object): the batch stays undone, so the
            // watermark stops before it.
            lanes.release(sent);
            fail(new CdiException.BrazeFailure(answer.globalError(), response.statusCode(), null, false, null), true);
            return;
        }
        List<PendingRow> again = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            PendingRow row = rows.get(i);
            switch (answer.outcome(i)) {
                case DELIVERED -> {
                    rowsDelivered++;
                    row.done = true;
                }
                case REJECTED -> {
                    rowError(new RowError(rowKey(row.row, row.ordinal), row.updatedAt, row.translated.target(),
                            RowError.Kind.REJECTED_BY_BRAZE, answer.reason(i)));
                    row.done = true;
                }
                case SEND_AGAIN -> again.add(row); // nothing of the request was written; the next request takes it
            }
        }
        lanes.release(sent, again);
        advance();
        sendReady(flushing);
    }

    /**
     * Braze (or the client, before sending) found the request too large: half of it goes again at once, holding
     * the same lanes, and the other half waits at the front of its lanes for the answer. A row too large on its
     * own is a row error.
     */
    private void tooLarge(Lanes.Batch<PendingRow> batch, BrazeException.TooLarge error) {
        List<PendingRow> rows = batch.rows();
        if (rows.size() > 1) {
            log.debug("sync {}: a request of {} rows was too large ({} bytes); sending it in halves", syncId, rows.size(),
                    error.bytes());
            send(lanes.narrow(batch, rows.size() / 2));
            return;
        }
        PendingRow row = rows.get(0);
        rowError(tooLarge(row, error.bytes()));
        row.done = true;
        lanes.release(batch);
        advance();
        sendReady(flushing);
    }

    /**
     * Moves the watermark over the done prefix of the rows read. Rows are in UPDATED_AT order, so the
     * prefix's last row sets the new watermark, and only rows within the lookback below it go to the edge:
     * the others would be pruned at once (no per-row edge work for the bulk of a large sync).
     */
    private void advance() {
        int done = 0;
        Instant last = null;
        for (PendingRow row : pending) {
            if (!row.done) {
                break;
            }
            done++;
            last = row.updatedAt;
        }
        if (done == 0) {
            return;
        }
        if (files != null) {
            for (int i = 0; i < done; i++) {
                PendingRow head = pending.removeFirst();
                pendingBytes -= head.weight;
                if (head.endOfFile) {
                    files.fileDone(head.chunk);
                } else {
                    files.recordDone(head.chunk, head.record);
                }
            }
            return;
        }
        table.advanceTo(last);
        for (int i = 0; i < done; i++) {
            PendingRow head = pending.removeFirst();
            pendingBytes -= head.weight;
            table.done(head.updatedAt, head.row);
        }
        table.advanced();
    }

    private void checkpoint(boolean force) {
        if (dryRun || progress == null || failure instanceof CdiException.WatermarkStoreFailure) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastCommitNanos < settings.checkpointInterval().toNanos()) {
            return;
        }
        if (!progress.changed()) {
            return;
        }
        lastCommitNanos = now;
        Watermark next = progress.snapshot();
        try {
            version = settings.store().commit(syncId, version, next);
        } catch (CdiException e) {
            fail(e, true);
            return;
        } catch (RuntimeException e) {
            fail(new CdiException.WatermarkStoreFailure("cannot save the watermark of sync " + syncId + ": " + e.getMessage(), e), true);
            return;
        }
        progress.saved();
        Instant saved = progress.committedInstant();
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

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private CdiException brazeFailure(Throwable error) {
        Throwable cause = unwrap(error);
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
        Instant start = progress == null ? null : progress.startInstant();
        Instant committed = progress == null ? null : progress.committedInstant();
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
                rowsHeldBack, rowErrors, rowErrorsDropped, requests, rateLimitedWaits, start,
                dryRun ? start : committed, startedAt, Duration.ofNanos(System.nanoTime() - startNanos), failure);
    }

    private void notify(java.util.function.Consumer<io.cdisync.core.SyncListener> call) {
        try {
            call.accept(settings.listener());
        } catch (RuntimeException e) {
            log.warn("sync {}: a listener threw {}; ignored", syncId, e.toString());
        }
    }

    private record Completion(Lanes.Batch<PendingRow> batch, BrazeResponse response, Throwable error) {
    }
}
