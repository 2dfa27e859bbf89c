package io.cdisync.braze;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One Braze object (a user's attributes, an event, a purchase) already encoded as a UTF-8 JSON object, so
 * that a pipeline that validated and wrote it in one streaming pass does not pay for a tree and a second
 * serialization. The client sends the bytes as they are: a caller that builds them by hand vouches that
 * they are one JSON object carrying its user identifier (Braze refuses the request otherwise).
 *
 * <p>Immutable as long as the array given to {@link #wrap(byte[])} is not modified afterwards. Prints its
 * size only: the content may be personal data.
 */
public final class EncodedObject {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] json;

    private EncodedObject(byte[] json) {
        this.json = json;
    }

    /**
     * Wraps the UTF-8 bytes of one JSON object, without copying them: do not modify the array afterwards.
     *
     * @param json a JSON object, starting with '{' and ending with '}'
     */
    public static EncodedObject wrap(byte[] json) {
        Objects.requireNonNull(json, "json");
        if (json.length < 2 || json[0] != '{' || json[json.length - 1] != '}') {
            throw new IllegalArgumentException("an encoded object is one JSON object, from '{' to '}' with no whitespace around");
        }
        return new EncodedObject(json);
    }

    /** Encodes a tree. */
    public static EncodedObject of(ObjectNode object) {
        Objects.requireNonNull(object, "object");
        try {
            return new EncodedObject(JSON.writeValueAsBytes(object));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the object cannot be serialized: " + e.getOriginalMessage(), e);
        }
    }

    /** {@return the size in bytes} */
    public int length() {
        return json.length;
    }

    /**
     * Copies the bytes into {@code target} at {@code offset}.
     *
     * @return the offset just after the copy
     */
    public int copyTo(byte[] target, int offset) {
        System.arraycopy(json, 0, target, offset, json.length);
        return offset + json.length;
    }

    /** {@return the object as a tree (for previews and tests; a parse, not a cheap call)} */
    public ObjectNode toTree() {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an encoded object does not parse: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "EncodedObject[" + json.length + " bytes]";
    }
}
