package io.cdisync.core;

/** How a sync run ended (Braze's run log statuses). */
public enum SyncStatus {
    /** Every row read was delivered or skipped as already delivered. */
    SUCCESS,
    /** The run completed, and some rows were reported as row errors. */
    PARTIAL_SUCCESS,
    /** A global failure ended the run; the watermark stays where delivery stopped. */
    ERROR,
    /** The run stopped at its row cap; the next run continues from the checkpoint. */
    LIMIT_EXCEEDED
}
