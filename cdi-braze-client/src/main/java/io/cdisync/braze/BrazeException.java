package io.cdisync.braze;

/**
 * A request to Braze that did not succeed, typed by what the caller should do about it.
 *
 * <p>{@link #retryable()} says whether sending the same request later may succeed (server errors,
 * timeouts, connection resets, exhausted rate-limit waits) or not (bad key, bad request). By the time
 * a {@link BrazeClient} future fails with a retryable exception, the client's own retries are
 * already exhausted. Messages never carry the API key.
 */
public class BrazeException extends RuntimeException {
    private final int statusCode;
    private final String requestId;
    private final boolean retryable;

    public BrazeException(String message, int statusCode, String requestId, boolean retryable, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.requestId = requestId;
        this.retryable = retryable;
    }

    /** The HTTP status Braze answered, or 0 when no response arrived (timeout, reset, refused). */
    public int statusCode() {
        return statusCode;
    }

    /** Braze's request id from the response headers, or null when there was none. */
    public String requestId() {
        return requestId;
    }

    /** True when the same request may succeed if sent again later. */
    public boolean retryable() {
        return retryable;
    }

    /** 401/403: the API key is wrong, lacks the endpoint's permission, or belongs to another instance. */
    public static final class Unauthorized extends BrazeException {
        public Unauthorized(String message, int statusCode, String requestId) {
            super(message, statusCode, requestId, false, null);
        }
    }

    /** 4xx other than 401/403/429: Braze refused the request as a whole; sending it again will not help. */
    public static final class Rejected extends BrazeException {
        private final String body;

        public Rejected(String message, int statusCode, String requestId, String body) {
            super(message, statusCode, requestId, false, null);
            this.body = body;
        }

        /** Braze's response body (JSON), for per-item errors on endpoints that report them with a 4xx. */
        public String body() {
            return body;
        }
    }

    /**
     * 413, or a body over the client's {@code maxRequestBytes} (refused before sending): the request is too
     * large for Braze. Sending fewer objects per request will succeed; sending the same request will not.
     */
    public static final class TooLarge extends BrazeException {
        private final long bytes;

        public TooLarge(String message, int statusCode, String requestId, long bytes) {
            super(message, statusCode, requestId, false, null);
            this.bytes = bytes;
        }

        /** The body's size in bytes. */
        public long bytes() {
            return bytes;
        }
    }

    /** 5xx, timeouts, dropped connections or rate-limit waits, still failing after every retry. */
    public static final class Unavailable extends BrazeException {
        public Unavailable(String message, int statusCode, String requestId, Throwable cause) {
            super(message, statusCode, requestId, true, cause);
        }
    }
}
