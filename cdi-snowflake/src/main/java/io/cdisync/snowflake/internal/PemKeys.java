package io.cdisync.snowflake.internal;

import io.cdisync.core.CdiException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * PKCS#8 PEM private keys as Snowflake's key-pair authentication uses them, with the JDK's crypto only:
 * {@code BEGIN PRIVATE KEY} (unencrypted) and {@code BEGIN ENCRYPTED PRIVATE KEY} (PBES2: PBKDF2 with
 * HMAC-SHA256 and AES-256-CBC, what {@code openssl pkcs8 -topk8 -v2 aes256} writes).
 *
 * <p>JDK 17's {@code EncryptedPrivateKeyInfo(AlgorithmParameters, byte[])} rejects PBES2 algorithm names,
 * so the encrypted structure is written here with a few lines of DER; reading goes through the JDK.
 */
public final class PemKeys {
    /** PBES2 (RFC 8018), the algorithm identifier of an encrypted PKCS#8 key. */
    private static final byte[] PBES2_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};
    private static final String ENCRYPTION = "PBEWithHmacSHA256AndAES_256";
    private static final int ITERATIONS = 100_000;

    private PemKeys() {
    }

    /** The key as an unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** The key as an encrypted PKCS#8 PEM (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC), readable by OpenSSL and Snowflake's drivers. */
    public static String toEncryptedPem(PrivateKey key, char[] passphrase) {
        try {
            SecureRandom random = new SecureRandom();
            byte[] salt = new byte[16];
            byte[] iv = new byte[16];
            random.nextBytes(salt);
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(ENCRYPTION);
            cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(ENCRYPTION).generateSecret(new PBEKeySpec(passphrase)),
                    new PBEParameterSpec(salt, ITERATIONS, new IvParameterSpec(iv)));
            byte[] encrypted = cipher.doFinal(key.getEncoded());
            byte[] algorithm = der(0x30, concat(PBES2_OID, cipher.getParameters().getEncoded()));
            return pem("ENCRYPTED PRIVATE KEY", der(0x30, concat(algorithm, der(0x04, encrypted))));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("this JVM cannot encrypt a private key with " + ENCRYPTION + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an RSA private key from PKCS#8 PEM text.
     *
     * @param pem        the PEM text
     * @param passphrase the passphrase of an encrypted key, or null
     * @param setting    how the key's setting is named in messages (e.g. {@code "privateKey"})
     * @throws CdiException.ConfigurationError saying what is wrong and how to fix it; never quoting the key
     */
    public static PrivateKey read(String pem, char[] passphrase, String setting) {
        String text = pem.strip();
        boolean encrypted = text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new CdiException.ConfigurationError(setting + ": a PKCS#1 key (BEGIN RSA PRIVATE KEY) is not supported; convert it"
                    + " to PKCS#8 with: openssl pkcs8 -topk8 -v2 aes256 -in rsa_key.pem -out rsa_key.p8");
        }
        if (!encrypted && !text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new CdiException.ConfigurationError(setting + ": not a PKCS#8 PEM private key (expected a"
                    + " -----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY----- block)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "").strip());
        } catch (IllegalArgumentException e) {
            throw new CdiException.ConfigurationError(setting + ": the PEM body is not valid base64");
        }
        try {
            if (!encrypted) {
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            if (passphrase == null || passphrase.length == 0) {
                throw new CdiException.ConfigurationError(setting + " is encrypted: set the private key passphrase"
                        + " (privateKeyPassphrase)");
            }
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters parameters = info.getAlgParameters();
            // For PBES2 the JDK names the algorithm "PBES2" but its parameters know the full name
            // (e.g. PBEWithHmacSHA256AndAES_256), which is what Cipher and SecretKeyFactory accept.
            String algorithm = "PBES2".equalsIgnoreCase(info.getAlgName()) || info.getAlgName().startsWith("1.2.840.113549.1.5.13")
                    ? parameters.toString() : info.getAlgName();
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(passphrase)),
                    parameters);
            return KeyFactory.getInstance("RSA").generatePrivate(info.getKeySpec(cipher));
        } catch (java.security.InvalidKeyException | java.security.spec.InvalidKeySpecException e) {
            throw new CdiException.ConfigurationError(encrypted ? setting + ": the passphrase does not decrypt the private key"
                    : setting + ": not a valid RSA private key", null);
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            if (e instanceof CdiException cdi) {
                throw cdi;
            }
            throw new CdiException.ConfigurationError(setting + ": cannot read the " + (encrypted ? "encrypted " : "")
                    + "private key (" + e.getClass().getSimpleName() + "); use PKCS#8 as written by openssl pkcs8 -topk8"
                    + " -v2 aes256 (or -nocrypt)", null);
        }
    }

    /** The public half of an RSA private key (PKCS#8 RSA keys carry the public exponent). */
    public static PublicKey publicKeyOf(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey rsa)) {
            throw new CdiException.ConfigurationError("the private key is not an RSA key with CRT parameters; Snowflake key-pair"
                    + " authentication needs an RSA key (2048 bits or more)");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available in this JVM", e);
        }
    }

    /** The public key's DER (X.509 SubjectPublicKeyInfo) in base64 on one line: what {@code RSA_PUBLIC_KEY} takes. */
    public static String publicKeyBase64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** {@code SHA256:<base64 of the SHA-256 of the public key's DER>}, as Snowflake shows it in {@code RSA_PUBLIC_KEY_FP}. */
    public static String fingerprint(PublicKey key) {
        try {
            return "SHA256:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** A PEM block with 64-character lines. */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** One DER tag-length-value. */
    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
