package io.cdisync.core.ops.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import io.cdisync.core.ops.FailedRow;
import io.cdisync.core.ops.RunLog;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.Watermark;
import io.cdisync.core.spi.WatermarkStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records the failed rows of one sync run in the {@link RunLog}: every row error the listener hears of
 * (not only the report's capped list), with the row itself when the integration keeps payloads. Failed
 * rows are written before each watermark commit, through a wrapper of the watermark store: a row the
 * watermark has passed is in the log, so a crash cannot lose its record. A log that cannot be written
 * fails the commit, and so the run, with the watermark where it was.
 */
public final class RunRecording implements SyncListener {
    private final String integration;
    private final String runId;
    private final RunLog runLog;
    private final Clock clock;
    private final SyncListener downstream;
    private final CapturingSource capture;
    private final SourceConnector source;
    private final List<FailedRow> pending = new ArrayList<>();

    /**
     * @param source     the integration's source; wrapped to keep failed rows when {@code keepRows} is true
     * @param downstream the host's listener, called after this one for every event
     */
    public RunRecording(String integration, String runId, RunLog runLog, Clock clock, boolean keepRows, SourceConnector source,
            SyncListener downstream) {
        this.integration = integration;
        this.runId = runId;
        this.runLog = runLog;
        this.clock = clock;
        this.downstream = downstream;
        this.capture = keepRows ? new CapturingSource(source) : null;
        this.source = keepRows ? capture : source;
    }

    /** The source the runner should read: the integration's, wrapped when failed rows are kept. */
    public SourceConnector source() {
        return source;
    }

    /**
     * The watermark store the runner should commit to: {@code store}, writing the pending failed rows
     * first and calling {@code beforeCommit} (lease renewal) before each commit.
     */
    public WatermarkStore store(WatermarkStore store, Runnable beforeCommit) {
        return new WatermarkStore() {
            @Override
            public Optional<StoredWatermark> load(String syncId) {
                return store.load(syncId);
            }

            @Override
            public long commit(String syncId, long expectedVersion, Watermark watermark) {
                beforeCommit.run();
                try {
                    flush();
                } catch (RuntimeException e) {
                    throw new CdiException.WatermarkStoreFailure("cannot record the failed rows of run " + runId + " in the run log ("
                            + e.getMessage() + "); the watermark stays before them", e);
                }
                return store.commit(syncId, expectedVersion, watermark);
            }

            @Override
            public String toString() {
                return store.toString();
            }
        };
    }

    /** Writes the failed rows not written yet. */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        runLog.recordFailedRows(List.copyOf(pending));
        pending.clear();
    }

    @Override
    public void onStart(String syncId, Instant watermark) {
        downstream.onStart(syncId, watermark);
    }

    @Override
    public void onProgress(String syncId, SyncProgress progress) {
        downstream.onProgress(syncId, progress);
    }

    @Override
    public void onRowError(String syncId, RowError error) {
        SourceRow row = capture == null ? null : capture.take(error);
        if (row != null && !error.rowKey().equals(row.rowKey())) {
            row = row.toBuilder().rowKey(error.rowKey()).build(); // a retry must name the row as this run did
        }
        synchronized (this) {
            pending.add(FailedRow.of(integration, error, runId, clock.instant(), row));
        }
        downstream.onRowError(syncId, error);
    }

    @Override
    public void onCheckpoint(String syncId, Instant watermark) {
        if (capture != null) {
            capture.forgetBefore(watermark);
        }
        downstream.onCheckpoint(syncId, watermark);
    }

    @Override
    public void onGlobalError(String syncId, CdiException failure) {
        downstream.onGlobalError(syncId, failure);
    }

    @Override
    public void onFinish(SyncReport report) {
        downstream.onFinish(report);
    }
}
