package io.cdisync.snowflake;

import io.cdisync.braze.Secret;
import io.cdisync.snowflake.internal.PemKeys;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Key pairs for Snowflake key-pair authentication, as Braze's CDI setup page does it: generate an RSA
 * pair, show the {@code ALTER USER ... SET RSA_PUBLIC_KEY} statement, and rotate through
 * {@code RSA_PUBLIC_KEY_2}.
 *
 * <pre>{@code
 * SnowflakeKeyPair keys = SnowflakeKeys.generate(Secret.of(passphrase));   // or generate() for an unencrypted key
 * System.out.println(keys.setPublicKeyStatement("CDI_USER"));
 * // ALTER USER "CDI_USER" SET RSA_PUBLIC_KEY='MIIBIjANBgkqh...';
 * store(keys.privateKeyPem());                                          // a secret: a vault, or a file only its reader can read
 *
 * KeyRotation rotation = SnowflakeKeys.rotate("CDI_USER", PublicKeySlot.RSA_PUBLIC_KEY, Secret.of(passphrase));
 * rotation.addNewKeyStatement();     // ALTER USER "CDI_USER" SET RSA_PUBLIC_KEY_2='...';
 * rotation.removeOldKeyStatement();  // ALTER USER "CDI_USER" UNSET RSA_PUBLIC_KEY;   (once the new key is in use)
 * }</pre>
 *
 * <p>Only the JDK's crypto is used. Encrypted keys are PKCS#8 with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC),
 * as {@code openssl pkcs8 -topk8 -v2 aes256} writes them. Stateless and thread-safe.
 */
public final class SnowflakeKeys {
    /** Snowflake's minimum, and the default here. */
    public static final int DEFAULT_KEY_SIZE = 2048;
    /** Unquoted Snowflake identifiers: letters, digits, {@code _} and {@code $}, not starting with a digit or {@code $}. */
    private static final Pattern SIMPLE_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final int MAX_IDENTIFIER = 255;

    private SnowflakeKeys() {
    }

    /** A new 2048-bit RSA pair; the private key is unencrypted PKCS#8 PEM. */
    public static SnowflakeKeyPair generate() {
        return generate(DEFAULT_KEY_SIZE, null);
    }

    /** A new 2048-bit RSA pair; the private key is PKCS#8 PEM encrypted with {@code passphrase}. */
    public static SnowflakeKeyPair generate(Secret passphrase) {
        return generate(DEFAULT_KEY_SIZE, Objects.requireNonNull(passphrase, "passphrase"));
    }

    /**
     * A new RSA pair.
     *
     * @param bits       the key size, at least 2048 (Snowflake's minimum)
     * @param passphrase encrypts the private key PEM, or null for an unencrypted PEM
     * @throws IllegalArgumentException when {@code bits} is below 2048
     */
    public static SnowflakeKeyPair generate(int bits, Secret passphrase) {
        if (bits < DEFAULT_KEY_SIZE) {
            throw new IllegalArgumentException("bits must be at least " + DEFAULT_KEY_SIZE + " (Snowflake's minimum), was " + bits);
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            pair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available in this JVM", e);
        }
        return describe(pair.getPrivate(), pair.getPublic(), passphrase);
    }

    /**
     * The key pair of an existing private key: its public key, fingerprint and {@code ALTER USER} statement.
     * Useful to tell which slot a key is in ({@code DESC USER} shows {@code RSA_PUBLIC_KEY_FP}).
     *
     * @param privateKeyPem PKCS#8 PEM, encrypted or not
     * @param passphrase    the passphrase of an encrypted key, or null
     * @throws io.cdisync.core.CdiException.ConfigurationError when the key cannot be read
     */
    public static SnowflakeKeyPair fromPrivateKey(Secret privateKeyPem, Secret passphrase) {
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        PrivateKey key = PemKeys.read(privateKeyPem.reveal(), passphrase == null ? null : passphrase.reveal().toCharArray(),
                "privateKey");
        PublicKey publicKey = PemKeys.publicKeyOf(key);
        return new SnowflakeKeyPair(privateKeyPem, passphrase != null && privateKeyPem.reveal().contains("ENCRYPTED"),
                PemKeys.publicKeyBase64(publicKey), PemKeys.fingerprint(publicKey));
    }

    /**
     * Starts a rotation: a new pair whose public key goes to the slot that is not in use.
     *
     * @param user       the Snowflake user
     * @param inUse      the slot holding the key clients use now ({@link PublicKeySlot#RSA_PUBLIC_KEY} after a first setup)
     * @param passphrase encrypts the new private key, or null
     * @throws IllegalArgumentException when the user name is invalid (see {@link #quoteUser})
     */
    public static KeyRotation rotate(String user, PublicKeySlot inUse, Secret passphrase) {
        quoteUser(user);
        Objects.requireNonNull(inUse, "inUse");
        return new KeyRotation(user, generate(DEFAULT_KEY_SIZE, passphrase), inUse, inUse.other());
    }

    /**
     * {@code ALTER USER "USER" SET <slot>='<publicKeyBase64>';}
     *
     * @throws IllegalArgumentException when the user name is invalid, or the key is not one line of base64
     */
    public static String setPublicKeyStatement(String user, PublicKeySlot slot, String publicKeyBase64) {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(publicKeyBase64, "publicKeyBase64");
        if (!BASE64.matcher(publicKeyBase64).matches()) {
            throw new IllegalArgumentException("publicKeyBase64 must be the key's DER in base64 on one line, without PEM headers");
        }
        return "ALTER USER " + quoteUser(user) + " SET " + slot.name() + "='" + publicKeyBase64 + "';";
    }

    /** {@code ALTER USER "USER" UNSET <slot>;} */
    public static String unsetPublicKeyStatement(String user, PublicKeySlot slot) {
        Objects.requireNonNull(slot, "slot");
        return "ALTER USER " + quoteUser(user) + " UNSET " + slot.name() + ";";
    }

    /**
     * The user name as a quoted Snowflake identifier that names the same user as the login does. A name
     * that could be written unquoted ({@code cdi_user}) is stored upper-case by Snowflake, so it becomes
     * {@code "CDI_USER"}; any other name ({@code jane.doe@acme.com}) was created quoted and is kept as
     * is; a name already in double quotes is taken literally. Inner quotes are doubled.
     *
     * @throws IllegalArgumentException when the name is empty, longer than 255 characters or holds control characters
     */
    public static String quoteUser(String user) {
        Objects.requireNonNull(user, "user");
        String name = user.strip();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).replace("\"\"", "\"");
        } else if (SIMPLE_IDENTIFIER.matcher(name).matches()) {
            name = name.toUpperCase(Locale.ROOT);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("user must not be empty");
        }
        if (name.length() > MAX_IDENTIFIER) {
            throw new IllegalArgumentException("user must be at most " + MAX_IDENTIFIER + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("user must not contain control characters");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static SnowflakeKeyPair describe(PrivateKey privateKey, PublicKey publicKey, Secret passphrase) {
        String pem = passphrase == null ? PemKeys.toPem(privateKey) : PemKeys.toEncryptedPem(privateKey, passphrase.reveal().toCharArray());
        return new SnowflakeKeyPair(Secret.of(pem), passphrase != null, PemKeys.publicKeyBase64(publicKey), PemKeys.fingerprint(publicKey));
    }
}
