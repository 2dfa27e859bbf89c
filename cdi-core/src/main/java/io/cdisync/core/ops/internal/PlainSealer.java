package io.cdisync.core.ops.internal;

import io.cdisync.braze.Secret;
import io.cdisync.core.ops.OpsException;
import io.cdisync.core.ops.SecretSealer;

/** {@link SecretSealer#plaintext()}. */
public final class PlainSealer implements SecretSealer {
    public static final PlainSealer INSTANCE = new PlainSealer();
    private static final String PREFIX = "plain:";

    private PlainSealer() {
    }

    @Override
    public String seal(Secret secret) {
        return PREFIX + secret.reveal();
    }

    @Override
    public Secret unseal(String sealed) {
        if (sealed.startsWith(AesGcmSealer.PREFIX)) {
            throw new OpsException.StoreFailure("a stored secret is encrypted; configure the store with"
                    + " SecretSealer.aesGcm(key) and the key it was written with", null);
        }
        if (!sealed.startsWith(PREFIX)) {
            throw new OpsException.StoreFailure("a stored secret is not in a known format", null);
        }
        return Secret.of(sealed.substring(PREFIX.length()));
    }

    @Override
    public String toString() {
        return "SecretSealer.plaintext()";
    }
}
