package io.cdisync.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link FakeBraze} received and accepted. Thread-safe; objects are stored as received (each
 * request parses its own) and handed out as deep copies. A counting recorder keeps counts only, so a
 * fake serving millions of objects runs in constant memory.
 */
final class FakeBrazeRecorder {
    private final boolean countOnly;
    private final AtomicLong trackObjects = new AtomicLong();
    private final List<ObjectNode> attributes = new ArrayList<>();
    private final List<ObjectNode> events = new ArrayList<>();
    private final List<ObjectNode> purchases = new ArrayList<>();
    private final List<ObjectNode> deletedUsers = new ArrayList<>();
    private final List<ObjectNode> skippedUpdateOnly = new ArrayList<>();
    /** Keyed by arrival sequence number, so that {@link #requests()} lists them in arrival order. */
    private final ConcurrentSkipListMap<Long, RecordedBrazeRequest> requests = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicInteger> countsByPath = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimited = new AtomicInteger();

    FakeBrazeRecorder(boolean countOnly) {
        this.countOnly = countOnly;
    }

    /** Whether the requests themselves are kept (else only counted). */
    boolean keepsRequests() {
        return !countOnly;
    }

    /** Records the objects of one {@code /users/track} request that Braze would process. */
    void acceptTrack(List<ObjectNode> newAttributes, List<ObjectNode> newEvents, List<ObjectNode> newPurchases) {
        trackObjects.addAndGet(newAttributes.size() + newEvents.size() + newPurchases.size());
        if (!countOnly) {
            keep(newAttributes, newEvents, newPurchases);
        }
    }

    private synchronized void keep(List<ObjectNode> newAttributes, List<ObjectNode> newEvents, List<ObjectNode> newPurchases) {
        attributes.addAll(newAttributes);
        events.addAll(newEvents);
        purchases.addAll(newPurchases);
    }

    /** Records the valid objects answered success but not applied (update only, unknown user). */
    synchronized void skipUpdateOnly(List<ObjectNode> objects) {
        if (!countOnly) {
            skippedUpdateOnly.addAll(objects);
        }
    }

    synchronized List<ObjectNode> skippedUpdateOnly() {
        requireKept();
        return copies(skippedUpdateOnly);
    }

    /** Records the users of one {@code /users/delete} request. */
    synchronized void acceptDeleted(List<ObjectNode> users) {
        if (!countOnly) {
            deletedUsers.addAll(users);
        }
    }

    /** Records an answered (or dropped) request that arrived as the {@code sequence}-th. */
    void request(long sequence, RecordedBrazeRequest request) {
        requests.put(sequence, request);
        countRequest(request.path());
    }

    /** Counts a request without keeping it (a counting recorder). */
    void countRequest(String path) {
        countsByPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    }

    /** Objects of all three arrays accepted by {@code /users/track}. */
    long trackObjectsAccepted() {
        return trackObjects.get();
    }

    /** Counts one 429 answer. */
    void rateLimited() {
        rateLimited.incrementAndGet();
    }

    synchronized List<ObjectNode> attributes() {
        requireKept();
        return copies(attributes);
    }

    synchronized List<ObjectNode> events() {
        requireKept();
        return copies(events);
    }

    synchronized List<ObjectNode> purchases() {
        requireKept();
        return copies(purchases);
    }

    synchronized List<ObjectNode> deletedUsers() {
        requireKept();
        return copies(deletedUsers);
    }

    List<RecordedBrazeRequest> requests() {
        requireKept();
        return List.copyOf(requests.values());
    }

    private void requireKept() {
        if (countOnly) {
            throw new IllegalStateException("this FakeBraze was built with countOnly(): it counts requests and objects"
                    + " (requestCount, rateLimitedCount, trackObjectsAccepted) but keeps none of them");
        }
    }

    int requestCount(String path) {
        AtomicInteger count = countsByPath.get(path);
        return count == null ? 0 : count.get();
    }

    int rateLimitedCount() {
        return rateLimited.get();
    }

    /** Forgets everything recorded. */
    synchronized void clear() {
        attributes.clear();
        events.clear();
        purchases.clear();
        deletedUsers.clear();
        skippedUpdateOnly.clear();
        requests.clear();
        countsByPath.clear();
        rateLimited.set(0);
        trackObjects.set(0);
    }

    private static List<ObjectNode> copies(List<ObjectNode> nodes) {
        List<ObjectNode> result = new ArrayList<>(nodes.size());
        for (ObjectNode node : nodes) {
            result.add(node.deepCopy());
        }
        return List.copyOf(result);
    }
}
