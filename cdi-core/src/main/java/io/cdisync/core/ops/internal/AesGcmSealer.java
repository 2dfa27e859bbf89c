package io.cdisync.core.ops.internal;

import io.cdisync.braze.Secret;
import io.cdisync.core.ops.OpsException;
import io.cdisync.core.ops.SecretSealer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** {@link SecretSealer#aesGcm(Secret)}: AES-256-GCM, a random 96-bit nonce per secret, stored before the ciphertext. */
public final class AesGcmSealer implements SecretSealer {
    /** Prefix of sealed values. */
    public static final String PREFIX = "aesgcm:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    public AesGcmSealer(SecretKeySpec key) {
        this.key = key;
    }

    @Override
    public String seal(Secret secret) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new OpsException.StoreFailure("cannot encrypt a secret: " + e.getClass().getSimpleName(), null);
        }
    }

    @Override
    public Secret unseal(String sealed) {
        if (!sealed.startsWith(PREFIX)) {
            throw new OpsException.StoreFailure("a stored secret is not encrypted with AES-GCM; it was written with"
                    + " another SecretSealer", null);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE));
            return Secret.of(new String(cipher.doFinal(bytes, NONCE, bytes.length - NONCE), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new OpsException.StoreFailure("cannot decrypt a stored secret: wrong key, or the store was altered", null);
        }
    }

    @Override
    public String toString() {
        return "SecretSealer.aesGcm(****)";
    }
}
