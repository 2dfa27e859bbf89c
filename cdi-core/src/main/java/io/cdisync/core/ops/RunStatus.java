package io.cdisync.core.ops;

import io.cdisync.core.SyncStatus;

/** The status of a run in the {@link RunLog}, as Braze's run log shows it. */
public enum RunStatus {
    /** Started and not finished (or its process died: such a run stays RUNNING until pruned). */
    RUNNING,
    /** Every row read was delivered or skipped as already delivered. */
    SUCCESS,
    /** Finished, with some rows reported as row errors. */
    PARTIAL_SUCCESS,
    /** A global failure ended the run. */
    ERROR,
    /** The run stopped at its row cap; the next run continues. */
    LIMIT_EXCEEDED;

    /** The run log status of a finished sync. */
    public static RunStatus of(SyncStatus status) {
        return switch (status) {
            case SUCCESS -> SUCCESS;
            case PARTIAL_SUCCESS -> PARTIAL_SUCCESS;
            case ERROR -> ERROR;
            case LIMIT_EXCEEDED -> LIMIT_EXCEEDED;
        };
    }
}
