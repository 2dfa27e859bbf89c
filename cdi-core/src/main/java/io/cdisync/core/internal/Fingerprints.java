package io.cdisync.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cdisync.core.spi.SourceRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A row's fingerprint: a hash of its identifier columns, UPDATED_AT and PAYLOAD. Two reads of the
 * same row version give the same fingerprint; an update with a new payload gives another. Used to
 * remember which rows at the watermark's edge were already delivered.
 */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static String of(SourceRow row) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
        update(digest, row.externalId());
        update(digest, row.aliasName());
        update(digest, row.aliasLabel());
        update(digest, row.brazeId());
        update(digest, row.email());
        update(digest, row.phone());
        update(digest, row.id());
        update(digest, row.deleted() == null ? null : row.deleted().toString());
        update(digest, row.updatedAt() == null ? null : row.updatedAt().toString());
        update(digest, payloadText(row.payload()));
        byte[] hash = digest.digest();
        // 128 bits are plenty to tell apart the rows of one lookback window.
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 16));
    }

    private static String payloadText(Object payload) {
        if (payload == null || payload instanceof String) {
            return (String) payload;
        }
        try {
            return Payloads.JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return String.valueOf(payload);
        }
    }

    private static void update(MessageDigest digest, String value) {
        if (value == null) {
            digest.update((byte) 0);
        } else {
            digest.update((byte) 1);
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            digest.update(intBytes(bytes.length));
            digest.update(bytes);
        }
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
