package io.cdisync.braze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One {@code POST /users/track} request: up to {@value BrazeLimits#TRACK_OBJECTS_PER_ARRAY} objects
 * in each of {@code attributes}, {@code events} and {@code purchases}.
 *
 * <p>Objects are sent as given (each must already carry its user identifier); the lists are copied.
 * Use {@link #attributes(List)} and friends for the common single-array request.
 */
public record TrackRequest(List<ObjectNode> attributes, List<ObjectNode> events, List<ObjectNode> purchases) {
    public TrackRequest {
        attributes = checked("attributes", attributes);
        events = checked("events", events);
        purchases = checked("purchases", purchases);
        if (attributes.isEmpty() && events.isEmpty() && purchases.isEmpty()) {
            throw new IllegalArgumentException("a track request needs at least one object");
        }
    }

    /** A request with only {@code attributes}. */
    public static TrackRequest attributes(List<ObjectNode> attributes) {
        return new TrackRequest(attributes, List.of(), List.of());
    }

    /** A request with only {@code events}. */
    public static TrackRequest events(List<ObjectNode> events) {
        return new TrackRequest(List.of(), events, List.of());
    }

    /** A request with only {@code purchases}. */
    public static TrackRequest purchases(List<ObjectNode> purchases) {
        return new TrackRequest(List.of(), List.of(), purchases);
    }

    /** Number of objects over all arrays. */
    public int size() {
        return attributes.size() + events.size() + purchases.size();
    }

    private static List<ObjectNode> checked(String name, List<ObjectNode> objects) {
        List<ObjectNode> copy = objects == null ? List.of() : List.copyOf(objects);
        if (copy.size() > BrazeLimits.TRACK_OBJECTS_PER_ARRAY) {
            throw new IllegalArgumentException(name + " holds " + copy.size() + " objects; Braze accepts at most "
                    + BrazeLimits.TRACK_OBJECTS_PER_ARRAY + " per request");
        }
        return copy;
    }
}
