package io.cdisync.braze.internal;

import io.cdisync.braze.BrazeResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** One logical request across its attempts and 429 waits. */
final class Exchange {
    final BrazeTransport.Bucket bucket;
    final String method;
    final String path;
    final byte[] body;
    /** Catalog item id to index in {@code items}; empty for other endpoints. */
    final Map<String, Integer> itemIds;
    final CompletableFuture<BrazeResponse> result = new CompletableFuture<>();
    final AtomicBoolean finished = new AtomicBoolean();
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger rateLimitedWaits = new AtomicInteger();
    volatile long rateLimitWaitNanos;
    /** The pacer's call number of the latest attempt, to project Braze's remaining count from its answer. */
    volatile long callNumber;

    Exchange(BrazeTransport.Bucket bucket, String method, String path, byte[] body, Map<String, Integer> itemIds) {
        this.bucket = bucket;
        this.method = method;
        this.path = path;
        this.body = body;
        this.itemIds = itemIds;
    }

    /** {@code "POST /users/track"}, for messages. */
    String what() {
        return method + " " + path;
    }
}
