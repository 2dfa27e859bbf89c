package io.cdisync.core.ops;

import io.cdisync.braze.Secret;
import io.cdisync.core.ops.internal.AesGcmSealer;
import io.cdisync.core.ops.internal.PlainSealer;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a persistent {@link IntegrationStore} writes the secrets of {@link Credentials}: as they are
 * ({@link #plaintext()}, the default: protect the file or table like a password file), or encrypted
 * with AES-256-GCM under a key the host keeps elsewhere ({@link #aesGcm(Secret)}), so that a copy of
 * the store alone reveals nothing. Thread-safe.
 */
public interface SecretSealer {
    /**
     * The secret as stored text.
     *
     * @throws OpsException.StoreFailure when it cannot be sealed
     */
    String seal(Secret secret);

    /**
     * The secret back from stored text.
     *
     * @throws OpsException.StoreFailure when the text was sealed with another key or is not a sealed secret
     */
    Secret unseal(String sealed);

    /** Secrets stored as they are, prefixed {@code plain:}. */
    static SecretSealer plaintext() {
        return PlainSealer.INSTANCE;
    }

    /**
     * Secrets encrypted with AES-256-GCM, a fresh random nonce each, prefixed {@code aesgcm:}.
     *
     * @param base64Key a 256-bit key, Base64-encoded (e.g. {@code openssl rand -base64 32})
     * @throws IllegalArgumentException when the key is not 32 Base64-encoded bytes (the message does not carry it)
     */
    static SecretSealer aesGcm(Secret base64Key) {
        Objects.requireNonNull(base64Key, "base64Key");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.reveal().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the secret sealing key is not Base64");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("the secret sealing key must be 32 bytes (256 bits), was " + key.length);
        }
        return new AesGcmSealer(new SecretKeySpec(key, "AES"));
    }
}
