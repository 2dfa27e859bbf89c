package io.cdisync.snowflake;

/**
 * The two places a Snowflake user holds a public key. Snowflake accepts a login signed by the private half
 * of either, which is what makes rotation without downtime possible: put the new key in the free slot,
 * move clients to the new private key, then unset the old slot.
 */
public enum PublicKeySlot {
    /** {@code RSA_PUBLIC_KEY}, the slot of a first key. */
    RSA_PUBLIC_KEY,
    /** {@code RSA_PUBLIC_KEY_2}, the second slot. */
    RSA_PUBLIC_KEY_2;

    /** The other slot: where the next key goes while this one is still in use. */
    public PublicKeySlot other() {
        return this == RSA_PUBLIC_KEY ? RSA_PUBLIC_KEY_2 : RSA_PUBLIC_KEY;
    }
}
