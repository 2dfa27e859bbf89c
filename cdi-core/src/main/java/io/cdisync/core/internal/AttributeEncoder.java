package io.cdisync.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cdisync.braze.BrazeLimits;
import io.cdisync.braze.EncodedObject;
import io.cdisync.core.spi.UserIdentifier;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The fast path of user-attribute rows: checks a JSON-text PAYLOAD and writes the Braze object (identifier
 * first, then the payload's fields) in one streaming pass, with no tree and no second serialization.
 *
 * <p>It accepts only what the tree path ({@link Payloads#parseObject} + {@link PayloadRules#attributes})
 * accepts, and writes the same object. Anything unusual — invalid JSON, not an object, too large, too many
 * attributes, a key the identifier or {@code _update_existing_only} also writes — makes it answer null, and
 * the caller takes the tree path, which reports the exact row error (or, for the rare legal cases such as a
 * payload {@code email} next to an EMAIL identifier, merges the keys as before). One instance per run, used
 * on the sync's thread; the generator and its buffer are reused from row to row.
 */
final class AttributeEncoder {
    /**
     * {@link Payloads#JSON}'s factory without {@code STRICT_DUPLICATE_DETECTION}: Jackson's detector
     * allocates a hash set per object, the largest cost of the pass, so {@link SeenNames} does it instead.
     */
    private static final JsonFactory FACTORY = Payloads.JSON.getFactory().rebuild()
            .disable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Buffer out = new Buffer();
    private final SeenNames seen = new SeenNames();
    private final boolean updateExistingOnly;
    private JsonGenerator generator;

    AttributeEncoder(boolean updateExistingOnly) {
        this.updateExistingOnly = updateExistingOnly;
    }

    /** The Braze object for a row, or null when the tree path must decide. */
    EncodedObject encode(UserIdentifier identifier, String payload) throws InvalidRow {
        if (Payloads.utf8Length(payload) > BrazeLimits.MAX_PAYLOAD_BYTES) {
            return null;
        }
        try (JsonParser parser = FACTORY.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonGenerator g = generator();
            g.writeStartObject();
            writeIdentifier(g, identifier);
            seen.enter(0);
            int fields = 0;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (++fields > BrazeLimits.MAX_ATTRIBUTES_PER_OBJECT || reserved(name) || !seen.add(0, name)) {
                    return abandon();
                }
                g.writeFieldName(name);
                if (!copyValue(parser, g, seen)) {
                    return abandon();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return abandon();
            }
            if (updateExistingOnly) {
                g.writeBooleanField("_update_existing_only", true);
            } else if (identifier instanceof UserIdentifier.Alias) {
                g.writeBooleanField("_update_existing_only", false); // Braze's default for aliases is update-only
            }
            g.writeEndObject();
            g.flush();
            return EncodedObject.wrap(out.take());
        } catch (IOException | RuntimeException e) {
            // Not valid JSON (or past a limit): the tree path words the error.
            return abandon();
        }
    }

    /** Keys this encoder may write itself besides the identifier keys: email/phone identifiers and the update flag. */
    private static final java.util.Set<String> ADDED_KEYS = java.util.Set.of("email", "phone", "_update_existing_only");

    /** Keys whose presence needs the tree path: Braze's identifier keys and what this encoder adds itself. */
    private static boolean reserved(String name) {
        return PayloadRules.IDENTIFIER_KEYS.contains(name) || ADDED_KEYS.contains(name);
    }

    private static void writeIdentifier(JsonGenerator g, UserIdentifier identifier) throws IOException {
        if (identifier instanceof UserIdentifier.ExternalId id) {
            g.writeStringField("external_id", id.value());
        } else if (identifier instanceof UserIdentifier.Email email) {
            g.writeStringField("email", email.value());
        } else if (identifier instanceof UserIdentifier.Phone phone) {
            g.writeStringField("phone", phone.value());
        } else if (identifier instanceof UserIdentifier.BrazeId id) {
            g.writeStringField("braze_id", id.value());
        } else if (identifier instanceof UserIdentifier.Alias alias) {
            g.writeObjectFieldStart("user_alias");
            g.writeStringField("alias_name", alias.name());
            g.writeStringField("alias_label", alias.label());
            g.writeEndObject();
        } else {
            throw new IllegalStateException("unknown identifier kind " + identifier.getClass().getName());
        }
    }

    /**
     * Copies the value at the parser's next token, iteratively (no recursion, whatever the nesting); false
     * when an object in it repeats a key. Floats go through {@link java.math.BigDecimal} as in the tree
     * path, so a huge number passes exactly.
     */
    private static boolean copyValue(JsonParser p, JsonGenerator g, SeenNames seen) throws IOException {
        int depth = 0;
        JsonToken t = p.nextToken();
        while (true) {
            if (t == null) {
                throw new IOException("unexpected end of input");
            }
            switch (t) {
                case START_OBJECT -> {
                    g.writeStartObject();
                    depth++;
                    seen.enter(depth);
                }
                case START_ARRAY -> {
                    g.writeStartArray();
                    depth++;
                }
                case END_OBJECT -> {
                    g.writeEndObject();
                    depth--;
                }
                case END_ARRAY -> {
                    g.writeEndArray();
                    depth--;
                }
                case FIELD_NAME -> {
                    // Arrays share the depth count with objects; a level is only used by the object that entered it.
                    if (!seen.add(depth, p.currentName())) {
                        return false;
                    }
                    g.writeFieldName(p.currentName());
                }
                case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                case VALUE_NUMBER_INT -> g.copyCurrentEvent(p);
                case VALUE_NUMBER_FLOAT -> g.writeNumber(p.getDecimalValue());
                case VALUE_TRUE -> g.writeBoolean(true);
                case VALUE_FALSE -> g.writeBoolean(false);
                case VALUE_NULL -> g.writeNull();
                default -> throw new IOException("unexpected token " + t);
            }
            if (depth == 0) {
                return true;
            }
            t = p.nextToken();
        }
    }

    private JsonGenerator generator() throws IOException {
        if (generator == null) {
            generator = FACTORY.createGenerator(out);
            generator.setRootValueSeparator(null); // objects are taken one by one, with nothing between
        }
        return generator;
    }

    /** Drops a half-written object: the generator's state is inside it, so a fresh one starts the next row. */
    private EncodedObject abandon() {
        generator = null;
        out.reset();
        return null;
    }

    /**
     * The keys seen in each object being copied, by nesting depth, to refuse duplicates as the tree path
     * does. Small objects are checked by a scan; an object past 16 keys gets a hash set. Reused row to row.
     */
    private static final class SeenNames {
        private java.util.List<String>[] names = newLevels(8);
        private java.util.HashSet<String>[] sets = newSets(8);

        /** An object starts at {@code depth}: forget what the previous object there had. */
        void enter(int depth) {
            if (depth >= names.length) {
                names = Arrays.copyOf(names, Math.max(depth + 1, names.length * 2));
                sets = Arrays.copyOf(sets, names.length);
            }
            if (names[depth] == null) {
                names[depth] = new java.util.ArrayList<>();
            }
            names[depth].clear();
            if (sets[depth] != null) {
                sets[depth].clear();
            }
        }

        /** Adds a key of the object at {@code depth}; false if it already had it. */
        boolean add(int depth, String name) {
            java.util.List<String> list = names[depth];
            if (list.size() < 16) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).equals(name)) {
                        return false;
                    }
                }
                list.add(name);
                return true;
            }
            if (sets[depth] == null) {
                sets[depth] = new java.util.HashSet<>();
            }
            if (sets[depth].isEmpty()) {
                sets[depth].addAll(list);
            }
            return sets[depth].add(name);
        }

        @SuppressWarnings("unchecked")
        private static java.util.List<String>[] newLevels(int n) {
            return new java.util.List[n];
        }

        @SuppressWarnings("unchecked")
        private static java.util.HashSet<String>[] newSets(int n) {
            return new java.util.HashSet[n];
        }
    }

    /** A growable byte buffer the generator flushes into; each object is copied out exactly once. */
    private static final class Buffer extends OutputStream {
        private byte[] bytes = new byte[1024];
        private int size;

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] take() {
            byte[] copy = Arrays.copyOf(bytes, size);
            reset();
            return copy;
        }

        void reset() {
            size = 0;
            if (bytes.length > 1 << 20) {
                bytes = new byte[1024]; // do not keep a huge row's buffer for the rest of the run
            }
        }
    }
}
