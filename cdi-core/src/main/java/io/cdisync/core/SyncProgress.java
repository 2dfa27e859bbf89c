package io.cdisync.core;

import java.time.Duration;

/**
 * Counters of a running sync, as sent to {@link SyncListener#onProgress}.
 *
 * @param rowsRead         rows read from the source so far
 * @param rowsDelivered    rows Braze accepted
 * @param rowsFailed       rows reported as row errors
 * @param rowsSkipped      rows skipped as already delivered
 * @param rateLimitedWaits 429 answers waited out
 * @param elapsed          time since the run started
 */
public record SyncProgress(long rowsRead, long rowsDelivered, long rowsFailed, long rowsSkipped, long rateLimitedWaits,
        Duration elapsed) {

    /** Rows read per second since the start. */
    public double rowsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : rowsRead / seconds;
    }
}
