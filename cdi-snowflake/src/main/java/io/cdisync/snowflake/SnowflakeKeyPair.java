package io.cdisync.snowflake;

import io.cdisync.braze.Secret;
import java.util.Objects;

/**
 * A generated key pair for Snowflake key-pair authentication: the private key as PKCS#8 PEM (keep it
 * secret; give it to {@link SnowflakeSource.Builder#privateKey}) and the public key as Snowflake's
 * {@code ALTER USER} statement wants it.
 *
 * @param privateKeyPem   the private key, {@code BEGIN PRIVATE KEY} or (with a passphrase) {@code BEGIN ENCRYPTED PRIVATE KEY}
 * @param encrypted       true when the PEM is encrypted with a passphrase
 * @param publicKeyBase64 the public key's DER in base64 on one line, without PEM headers
 * @param fingerprint     {@code SHA256:...}, as {@code DESC USER} shows it in {@code RSA_PUBLIC_KEY_FP}
 */
public record SnowflakeKeyPair(Secret privateKeyPem, boolean encrypted, String publicKeyBase64, String fingerprint) {
    public SnowflakeKeyPair {
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(publicKeyBase64, "publicKeyBase64");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** The public key as a PEM block ({@code BEGIN PUBLIC KEY}), for tools that want a file. */
    public String publicKeyPem() {
        return io.cdisync.snowflake.internal.PemKeys.pem("PUBLIC KEY", java.util.Base64.getDecoder().decode(publicKeyBase64));
    }

    /**
     * The statement that registers this public key on {@code user}:
     * {@code ALTER USER "USER" SET RSA_PUBLIC_KEY='MIIB...';}. Run it as a role that may alter the user
     * (SECURITYADMIN or the user's owner).
     *
     * @throws IllegalArgumentException when the user name is empty or holds control characters
     */
    public String setPublicKeyStatement(String user) {
        return SnowflakeKeys.setPublicKeyStatement(user, PublicKeySlot.RSA_PUBLIC_KEY, publicKeyBase64);
    }

    /** Shows the public half and the fingerprint only; the private key prints as {@code ****}. */
    @Override
    public String toString() {
        return "SnowflakeKeyPair{fingerprint=" + fingerprint + ", encrypted=" + encrypted + ", privateKeyPem=****}";
    }
}
