package io.cdisync.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@link FakeBraze} received and accepted. Thread-safe; objects are stored as received (each
 * request parses its own) and handed out as deep copies.
 */
final class FakeBrazeRecorder {
    private final List<ObjectNode> attributes = new ArrayList<>();
    private final List<ObjectNode> events = new ArrayList<>();
    private final List<ObjectNode> purchases = new ArrayList<>();
    private final List<ObjectNode> deletedUsers = new ArrayList<>();
    /** Keyed by arrival sequence number, so that {@link #requests()} lists them in arrival order. */
    private final ConcurrentSkipListMap<Long, RecordedBrazeRequest> requests = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicInteger> countsByPath = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimited = new AtomicInteger();

    /** Records the objects of one {@code /users/track} request that Braze would process. */
    synchronized void acceptTrack(
            List<ObjectNode> newAttributes, List<ObjectNode> newEvents, List<ObjectNode> newPurchases) {
        attributes.addAll(newAttributes);
        events.addAll(newEvents);
        purchases.addAll(newPurchases);
    }

    /** Records the users of one {@code /users/delete} request. */
    synchronized void acceptDeleted(List<ObjectNode> users) {
        deletedUsers.addAll(users);
    }

    /** Records an answered (or dropped) request that arrived as the {@code sequence}-th. */
    void request(long sequence, RecordedBrazeRequest request) {
        requests.put(sequence, request);
        countsByPath.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
    }

    /** Counts one 429 answer. */
    void rateLimited() {
        rateLimited.incrementAndGet();
    }

    synchronized List<ObjectNode> attributes() {
        return copies(attributes);
    }

    synchronized List<ObjectNode> events() {
        return copies(events);
    }

    synchronized List<ObjectNode> purchases() {
        return copies(purchases);
    }

    synchronized List<ObjectNode> deletedUsers() {
        return copies(deletedUsers);
    }

    List<RecordedBrazeRequest> requests() {
        return List.copyOf(requests.values());
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
        requests.clear();
        countsByPath.clear();
        rateLimited.set(0);
    }

    private static List<ObjectNode> copies(List<ObjectNode> nodes) {
        List<ObjectNode> result = new ArrayList<>(nodes.size());
        for (ObjectNode node : nodes) {
            result.add(node.deepCopy());
        }
        return List.copyOf(result);
    }
}
