package io.cdisync.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The one identifier a row names its Braze user by. Exactly one per row (Braze's rule); see
 * {@link IdentifierResolver}.
 */
public sealed interface UserIdentifier {
    /** Writes this identifier into a Braze user object ({@code external_id}, {@code user_alias}, ...). */
    void writeTo(ObjectNode object);

    /**
     * A key equal for equal identifiers and distinct across kinds: rows with the same key belong to the
     * same user and keep their order.
     */
    String key();

    /** Identified by EXTERNAL_ID. */
    record ExternalId(String value) implements UserIdentifier {
        public ExternalId {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public void writeTo(ObjectNode object) {
            object.put("external_id", value);
        }

        @Override
        public String key() {
            return "external_id:" + value;
        }
    }

    /** Identified by the ALIAS_NAME and ALIAS_LABEL pair. */
    record Alias(String name, String label) implements UserIdentifier {
        public Alias {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(label, "label");
        }

        @Override
        public void writeTo(ObjectNode object) {
            object.putObject("user_alias").put("alias_name", name).put("alias_label", label);
        }

        @Override
        public String key() {
            return "user_alias:" + label + ":" + name;
        }
    }

    /** Identified by BRAZE_ID: updates existing users only, Braze never creates one from it. */
    record BrazeId(String value) implements UserIdentifier {
        public BrazeId {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public void writeTo(ObjectNode object) {
            object.put("braze_id", value);
        }

        @Override
        public String key() {
            return "braze_id:" + value;
        }
    }

    /** Identified by EMAIL. */
    record Email(String value) implements UserIdentifier {
        public Email {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public void writeTo(ObjectNode object) {
            object.put("email", value);
        }

        @Override
        public String key() {
            return "email:" + value;
        }
    }

    /** Identified by PHONE. */
    record Phone(String value) implements UserIdentifier {
        public Phone {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public void writeTo(ObjectNode object) {
            object.put("phone", value);
        }

        @Override
        public String key() {
            return "phone:" + value;
        }
    }
}
