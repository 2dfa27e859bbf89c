package io.cdisync.braze;

import java.time.Duration;
import java.util.Objects;

/**
 * A request budget: at most {@code requests} per {@code window}, as Braze states its rate limits.
 *
 * @param requests requests allowed per window, at least 1
 * @param window   the window, positive
 */
public record RateLimit(int requests, Duration window) {
    public RateLimit {
        Objects.requireNonNull(window, "window");
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be at least 1, was " + requests);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
    }

    /** A budget of {@code requests} per {@code window}. */
    public static RateLimit of(int requests, Duration window) {
        return new RateLimit(requests, window);
    }

    /** Requests per second this budget allows on average. */
    public double perSecond() {
        return requests * 1_000_000_000.0 / window.toNanos();
    }
}
