package io.cdisync.braze;

import java.util.List;
import java.util.Objects;

/**
 * A {@code POST /users/track} request of up to {@value BrazeLimits#TRACK_OBJECTS_PER_ARRAY} objects
 * already encoded as JSON, all in one array: the fast path for pipelines that write each object once
 * (see {@link EncodedObject}). {@link TrackRequest} is the tree-based equivalent.
 *
 * @param array   which array the objects go in
 * @param objects the objects, in order; the list is copied
 */
public record EncodedTrackRequest(Array array, List<EncodedObject> objects) {
    public EncodedTrackRequest {
        Objects.requireNonNull(array, "array");
        objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("a track request needs at least one object");
        }
        if (objects.size() > BrazeLimits.TRACK_OBJECTS_PER_ARRAY) {
            throw new IllegalArgumentException(array.jsonName() + " holds " + objects.size() + " objects; Braze accepts at most "
                    + BrazeLimits.TRACK_OBJECTS_PER_ARRAY + " per request");
        }
    }

    /** The three arrays of {@code /users/track}. */
    public enum Array {
        /** {@code attributes}: user attribute objects. */
        ATTRIBUTES("attributes"),
        /** {@code events}: custom events. */
        EVENTS("events"),
        /** {@code purchases}: purchases. */
        PURCHASES("purchases");

        private final String jsonName;

        Array(String jsonName) {
            this.jsonName = jsonName;
        }

        /** {@return the array's name in the request body, e.g. {@code "attributes"}} */
        public String jsonName() {
            return jsonName;
        }
    }

    /** {@return the request body as sent: {@code {"<array>":[<object>,...]}}, built in one exact-size array} */
    public byte[] body() {
        byte[] open = ("{\"" + array.jsonName() + "\":[").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int size = open.length + objects.size() - 1 + 2;
        for (EncodedObject object : objects) {
            size += object.length();
        }
        byte[] body = new byte[size];
        System.arraycopy(open, 0, body, 0, open.length);
        int at = open.length;
        for (int i = 0; i < objects.size(); i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            at = objects.get(i).copyTo(body, at);
        }
        body[at++] = ']';
        body[at] = '}';
        return body;
    }
}
