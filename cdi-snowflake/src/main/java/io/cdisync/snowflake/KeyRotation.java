package io.cdisync.snowflake;

import java.util.Objects;

/**
 * One rotation of a Snowflake user's key pair, without downtime:
 * <ol>
 * <li>run {@link #addNewKeyStatement()} ({@code ALTER USER "U" SET RSA_PUBLIC_KEY_2='...';}): both keys now work;</li>
 * <li>give {@link #newKeyPair()}'s private key to every client (e.g. rebuild the {@link SnowflakeSource}, or
 *     replace the key file it reads on each connection);</li>
 * <li>once nothing uses the old key, run {@link #removeOldKeyStatement()} ({@code ALTER USER "U" UNSET RSA_PUBLIC_KEY;}).</li>
 * </ol>
 * The next rotation starts from {@link #newSlot()} and goes the other way.
 *
 * @param user       the user, as given
 * @param newKeyPair the new key pair
 * @param oldSlot    the slot holding the key in use now, unset at the end
 * @param newSlot    the slot the new public key goes to
 */
public record KeyRotation(String user, SnowflakeKeyPair newKeyPair, PublicKeySlot oldSlot, PublicKeySlot newSlot) {
    public KeyRotation {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(newKeyPair, "newKeyPair");
        Objects.requireNonNull(oldSlot, "oldSlot");
        Objects.requireNonNull(newSlot, "newSlot");
        if (oldSlot == newSlot) {
            throw new IllegalArgumentException("newSlot must differ from oldSlot, both were " + oldSlot);
        }
    }

    /** Step 1: {@code ALTER USER "U" SET <newSlot>='<new public key>';}. */
    public String addNewKeyStatement() {
        return SnowflakeKeys.setPublicKeyStatement(user, newSlot, newKeyPair.publicKeyBase64());
    }

    /** Step 3, once the new key is in use: {@code ALTER USER "U" UNSET <oldSlot>;}. */
    public String removeOldKeyStatement() {
        return SnowflakeKeys.unsetPublicKeyStatement(user, oldSlot);
    }
}
