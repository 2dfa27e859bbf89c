package io.cdisync.core;

/**
 * The root of every failure cdi reports: unchecked, typed by what the user must do.
 *
 * <p>A failure that ends a sync (a "global" failure) is one of the subclasses; a problem with a single
 * row is never an exception but a {@link RowError} in the {@link SyncReport}. Messages say what
 * happened and what to fix, and never carry secrets.
 */
public class CdiException extends RuntimeException {
    private final boolean retryable;

    public CdiException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** True when running the same sync again later, unchanged, may succeed (network blips, outages). */
    public boolean retryable() {
        return retryable;
    }

    /** The warehouse or Braze cannot be reached, or the connection broke. Usually transient. */
    public static class ConnectionFailed extends CdiException {
        public ConnectionFailed(String message, Throwable cause) {
            super(message, true, cause);
        }
    }

    /** Credentials were refused or lack a permission (a grant, a role, an API key permission). */
    public static class AccessDenied extends CdiException {
        public AccessDenied(String message, Throwable cause) {
            super(message, false, cause);
        }
    }

    /** The sync is set up wrong: missing table or column, wrong column type, invalid settings. */
    public static class ConfigurationError extends CdiException {
        public ConfigurationError(String message, Throwable cause) {
            super(message, false, cause);
        }

        public ConfigurationError(String message) {
            this(message, null);
        }
    }

    /** Braze refused or failed a request as a whole (not one object in it). */
    public static class BrazeFailure extends CdiException {
        private final int statusCode;
        private final String requestId;

        public BrazeFailure(String message, int statusCode, String requestId, boolean retryable, Throwable cause) {
            super(message, retryable, cause);
            this.statusCode = statusCode;
            this.requestId = requestId;
        }

        /** Braze's HTTP status, or 0 when no answer came. */
        public int statusCode() {
            return statusCode;
        }

        /** Braze's request id, or null. */
        public String requestId() {
            return requestId;
        }
    }

    /** The watermark store failed to load or save a sync's position. */
    public static class WatermarkStoreFailure extends CdiException {
        public WatermarkStoreFailure(String message, Throwable cause) {
            super(message, true, cause);
        }
    }

    /**
     * Another runner advanced or holds the same sync: this run's position is stale. Nothing was lost;
     * one sync id must be run by one runner at a time.
     */
    public static class ConcurrentRun extends WatermarkStoreFailure {
        public ConcurrentRun(String message) {
            super(message, null);
        }
    }

    /** The run exceeded its run timeout; what was not delivered is left for the next run. */
    public static class TimedOut extends CdiException {
        public TimedOut(String message) {
            super(message, true, null);
        }
    }

    /** The sync was interrupted or cancelled by its host. */
    public static class Interrupted extends CdiException {
        public Interrupted(String message, Throwable cause) {
            super(message, true, cause);
        }
    }
}
