package io.cdisync.braze;

import java.time.Duration;

/**
 * Braze's published REST API limits, in one place. Every batching and rate-limiting decision in
 * cdi reads these constants; nothing else spells the numbers.
 *
 * <p>Sources: Braze's documentation of {@code /users/track}, {@code /users/delete}, the catalog item
 * endpoints and "API limits".
 */
public final class BrazeLimits {
    private BrazeLimits() {
    }

    /** {@code /users/track}: objects per array ({@code attributes}, {@code events}, {@code purchases}). */
    public static final int TRACK_OBJECTS_PER_ARRAY = 75;

    /**
     * {@code /users/track}: objects per request on plans that allow 50 objects combined (attributes, events and
     * purchases together) instead of 75 per array.
     */
    public static final int TRACK_OBJECTS_PER_REQUEST_SMALL_PLAN = 50;

    /** Every endpoint refuses bodies over 4 MB with 413; the default request size cap stays under it. */
    public static final int MAX_REQUEST_BYTES = 4_000_000;

    /** {@code /users/delete}: identifiers per request. */
    public static final int DELETE_IDENTIFIERS_PER_REQUEST = 50;

    /** Catalog item endpoints: items per request. */
    public static final int CATALOG_ITEMS_PER_REQUEST = 50;

    /** {@code /users/track} default workspace rate limit: 3,000 requests per 3 seconds. */
    public static final RateLimit TRACK_RATE_LIMIT = RateLimit.of(3_000, Duration.ofSeconds(3));

    /** {@code /users/delete} default rate limit: 20,000 per minute (shared with alias/identify/merge). */
    public static final RateLimit DELETE_RATE_LIMIT = RateLimit.of(20_000, Duration.ofMinutes(1));

    /** Catalog item endpoints: 16,000 per minute, shared between them. */
    public static final RateLimit CATALOG_RATE_LIMIT = RateLimit.of(16_000, Duration.ofMinutes(1));

    /** Largest PAYLOAD Braze CDI accepts per row, in UTF-8 bytes: "1 MB", read as 1 MiB so no row Braze takes is refused here. */
    public static final int MAX_PAYLOAD_BYTES = 1_048_576;

    /** Most top-level attributes one user-attribute row may carry. */
    public static final int MAX_ATTRIBUTES_PER_OBJECT = 250;
}
