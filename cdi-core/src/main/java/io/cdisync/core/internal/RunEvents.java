package io.cdisync.core.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands a run's events to the user's {@link SyncListener}; a listener that throws is logged and ignored. */
final class RunEvents {
    /** The run's log, whichever part of the run writes the line. */
    private static final Logger log = LoggerFactory.getLogger(SyncRun.class);

    private final String syncId;
    private final SyncListener listener;

    RunEvents(String syncId, SyncListener listener) {
        this.syncId = syncId;
        this.listener = listener;
    }

    void started(Instant watermark) {
        notify(l -> l.onStart(syncId, watermark));
    }

    void progress(SyncProgress progress) {
        notify(l -> l.onProgress(syncId, progress));
    }

    void rowError(RowError error) {
        notify(l -> l.onRowError(syncId, error));
    }

    void checkpoint(Instant watermark) {
        notify(l -> l.onCheckpoint(syncId, watermark));
    }

    void globalError(CdiException failure) {
        notify(l -> l.onGlobalError(syncId, failure));
    }

    void finished(SyncReport report) {
        notify(l -> l.onFinish(report));
    }

    private void notify(Consumer<SyncListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            log.warn("sync {}: a listener threw {}; ignored", syncId, e.toString());
        }
    }
}
