package io.cdisync.braze;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A credential (API key, password, token, private key) that never prints itself.
 *
 * <p>{@code toString()} is always {@code ****}, so a secret held in a record or a config object
 * cannot leak through logging, exception messages or debuggers that call {@code toString()}.
 * Call {@link #reveal()} only where the value is put on the wire.
 */
public final class Secret {
    private static final String MASK = "****";
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a secret value.
     *
     * @throws IllegalArgumentException if the value is null or blank (the message does not carry it)
     */
    public static Secret of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("secret must not be null or blank");
        }
        return new Secret(value);
    }

    /** The secret's value. Never log it. */
    public String reveal() {
        return value;
    }

    /** Replaces every occurrence of this secret's value in {@code text} with {@code ****}. */
    public String redact(String text) {
        return text == null ? null : text.replace(value, MASK);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other
                && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return MASK;
    }
}
