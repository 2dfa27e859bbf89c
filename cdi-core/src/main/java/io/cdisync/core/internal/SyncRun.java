package io.cdisync.core.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.SyncReport;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a sync: the data flow of architecture.md, on the calling thread. The run reads its source
 * from its position ({@link RunProgress}: a table's watermark or a file ledger), translates each row,
 * hands it to the {@link Dispatcher} (lanes and requests to Braze), checkpoints the position as rows get
 * done, and counts everything for the report ({@link RunCounters}).
 *
 * <p>All state is confined to that thread. The position moves over the longest prefix of rows that are
 * done (delivered, rejected, or invalid). Rows read but not done are bounded in number and in bytes. The
 * first failure ends the run; a source failure still lets the rows already read go to Braze.
 */
public final class SyncRun {
    private static final Logger log = LoggerFactory.getLogger(SyncRun.class);
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Rows read and not done, in requests' worth per request in flight (in flight, queued, waiting). */
    private static final int PENDING_REQUESTS_PER_SLOT = 3;
    /** Weight (about the bytes held) of rows read and not done; big payloads hit this before the row bound. */
    private static final long MAX_PENDING_BYTES = 48L << 20;
    private static final long AWAIT_MILLIS = 100;

    private final RunSettings settings;
    private final boolean dryRun;
    private final String syncId;
    private final RowTranslator translator;
    private final RunEvents events;
    private final RunCounters counters;
    private final Dispatcher dispatcher;
    private final int maxPendingRows;

    /** The position; set when the run starts. */
    private RunProgress progress;
    private long version;
    private CdiException failure;
    private long runStartNanos;
    private long deadlineNanos;
    private long lastCommitNanos;
    private long lastProgressNanos;

    public SyncRun(RunSettings settings, boolean dryRun) {
        this.settings = settings;
        this.dryRun = dryRun;
        this.syncId = settings.syncId();
        this.translator = new RowTranslator(settings.dataType(), settings.resolver(), settings.updateExistingOnly());
        this.events = new RunEvents(syncId, settings.listener());
        this.counters = new RunCounters(syncId, settings.dataType(), dryRun, settings.maxReportedErrors(), events);
        Endpoint endpoint = Endpoint.of(settings.dataType(), settings.catalog(), settings.braze());
        this.dispatcher = new Dispatcher(syncId, endpoint, settings.braze(), settings.concurrency(), dryRun, counters,
                () -> progress.advance(), e -> fail(e, true));
        this.maxPendingRows = Math.max(PENDING_REQUESTS_PER_SLOT * endpoint.batchLimit() * settings.concurrency(),
                settings.fetchSize() * 2);
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
            progress = loadPosition(startedAt);
            events.started(progress.startInstant());
            ReadRequest request = progress.request(startedAt, settings.fetchSize());
            log.info("sync {}: reading {}{}", syncId, progress.describe(request), dryRun ? " (dry run)" : "");
            try {
                capReached = readAndSend(request);
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
        Instant before = progress == null ? null : progress.startInstant();
        Instant committed = progress == null ? null : progress.committedInstant();
        SyncReport report = counters.report(startedAt, Duration.ofNanos(System.nanoTime() - startNanos), capReached, failure,
                before, committed);
        progress(true);
        events.finished(report);
        log.info("sync {}: {} - read {}, delivered {}, failed {}, skipped {}, held back {}", syncId, report.status(),
                report.rowsRead(), report.rowsDelivered(), report.rowsFailed(), report.rowsSkipped(), report.rowsHeldBack());
        return report;
    }

    /** Loads the stored position, or takes the source's initial one (see {@link RunProgress#of}). */
    private RunProgress loadPosition(Instant startedAt) {
        Watermark initial = settings.source().initialPosition(startedAt);
        Optional<StoredWatermark> stored;
        try {
            stored = settings.store().load(syncId);
        } catch (CdiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CdiException.WatermarkStoreFailure("cannot load the watermark of sync " + syncId + ": " + e.getMessage(), e);
        }
        RunProgress loaded = RunProgress.of(settings, initial, stored.map(StoredWatermark::watermark).orElse(null), counters);
        version = stored.map(StoredWatermark::version).orElse(0L);
        return loaded;
    }

    /** Reads the source and hands rows to the dispatcher; returns true when the row cap stopped the read. */
    private boolean readAndSend(ReadRequest request) {
        try (RowStream stream = settings.source().read(request)) {
            RowBatch batch;
            while (failure == null && (batch = stream.nextBatch()) != null) {
                progress.startBatch(batch);
                for (SourceRow row : batch.rows()) {
                    PendingRow entry = progress.accept(row, counters.read());
                    if (entry != null) {
                        translate(entry);
                    }
                    if (counters.rowsAccepted() >= settings.maxRowsPerRun()) {
                        log.info("sync {}: row cap of {} reached; the next run continues from the checkpoint", syncId,
                                settings.maxRowsPerRun());
                        return true;
                    }
                }
                progress.endBatch(counters.rowsRead());
                dispatcher.drain();
                while (failure == null && (progress.pendingRows() > maxPendingRows || progress.pendingBytes() > MAX_PENDING_BYTES)) {
                    // A partial request only when nothing is in flight to free lanes: each request costs one
                    // unit of Braze's rate limit whatever it holds, so at the limit partial ones cost rows/s.
                    dispatcher.sendReady(dispatcher.inFlight() == 0);
                    if (dispatcher.inFlight() == 0) {
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

    /** Translates a row the position placed, and queues it for Braze; a row that makes no object is a row error. */
    private void translate(PendingRow entry) {
        counters.accepted();
        try {
            entry.translated = translator.translate(entry.row);
        } catch (InvalidRow invalid) {
            counters.rowError(RowErrors.invalid(entry.row, entry.ordinal, invalid));
            progress.done(entry);
            return;
        }
        if (dispatcher.queue(entry)) {
            progress.weigh(entry, entry.translated.weight());
        }
    }

    private void finishSending() {
        dispatcher.flush();
        while (!dispatcher.stopped()) {
            dispatcher.drain();
            dispatcher.sendReady(true);
            if (dispatcher.inFlight() == 0) {
                break;
            }
            awaitCompletion();
            checkpoint(false);
            progress(false);
        }
        // After a Braze or store failure, wait for what is already in flight: its outcome is worth recording.
        while (dispatcher.inFlight() > 0) {
            awaitCompletion();
        }
    }

    private void awaitCompletion() {
        if (System.nanoTime() - deadlineNanos > 0) {
            timedOut();
            return;
        }
        try {
            dispatcher.await(AWAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new CdiException.Interrupted("sync " + syncId + " was interrupted while waiting for Braze; rows in flight"
                    + " will be sent again by the next run", e), true);
            dispatcher.abandon(); // their rows stay undone, so the watermark does not pass them
        }
    }

    private void timedOut() {
        fail(new CdiException.TimedOut("sync " + syncId + " exceeded its run timeout of " + settings.runTimeout()
                + "; rows not yet delivered will be sent by the next run"), true);
        dispatcher.abandon(); // those rows stay undone, so the watermark does not pass them
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
        events.checkpoint(progress.committedInstant());
    }

    /**
     * Records the run's global failure (the first one wins). {@code stopSending} is false for source
     * failures: rows already read still go to Braze before the run ends.
     */
    private void fail(CdiException e, boolean stopSending) {
        if (stopSending) {
            dispatcher.stop();
        }
        if (failure != null) {
            return;
        }
        failure = e;
        log.warn("sync {} failed: {}", syncId, e.getMessage());
        events.globalError(e);
    }

    private void progress(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastProgressNanos < PROGRESS_INTERVAL_NANOS) {
            return;
        }
        lastProgressNanos = now;
        events.progress(counters.progress(Duration.ofNanos(now - runStartNanos)));
    }
}
