package io.cdisync.databricks.internal;

import io.cdisync.core.CdiException;

/** The SQL warehouse answered that it is starting (HTTP 503, TEMPORARILY_UNAVAILABLE): worth waiting for. */
public final class WarehouseStarting extends CdiException.ConnectionFailed {
    private static final long serialVersionUID = 1L;

    public WarehouseStarting(String message, Throwable cause) {
        super(message, cause);
    }
}
