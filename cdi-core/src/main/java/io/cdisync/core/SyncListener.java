package io.cdisync.core;

import java.time.Instant;

/**
 * Hooks into a running sync, for progress bars, metrics and alerts. Every method has an empty default.
 *
 * <p>Called on the sync's thread; keep implementations fast and non-blocking. An exception thrown by a
 * listener is logged and ignored: it never stops the sync.
 */
public interface SyncListener {
    /** The run started from {@code watermark} (null on a first run). */
    default void onStart(String syncId, Instant watermark) {
    }

    /** Periodic counters (about once a second, and at the end). */
    default void onProgress(String syncId, SyncProgress progress) {
    }

    /** A row was reported and skipped. */
    default void onRowError(String syncId, RowError error) {
    }

    /** The watermark was durably advanced to {@code watermark}. */
    default void onCheckpoint(String syncId, Instant watermark) {
    }

    /** A global failure is ending the run. */
    default void onGlobalError(String syncId, CdiException failure) {
    }

    /** The run ended (also after a global failure). */
    default void onFinish(SyncReport report) {
    }
}
