package io.cdisync.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.snowflake.internal.PemKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key generation, the ALTER USER statements and rotation, checked with real signatures. */
class SnowflakeKeysTest {
    static final Pattern SET_KEY = Pattern.compile("ALTER USER \"CDI_USER\" SET (RSA_PUBLIC_KEY(?:_2)?)='([A-Za-z0-9+/]+={0,2})';");

    static PublicKey publicKeyFrom(String statement) throws Exception {
        Matcher m = SET_KEY.matcher(statement);
        assertThat(m.matches()).as(statement).isTrue();
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(m.group(2))));
    }

    static boolean signatureVerifies(PrivateKey privateKey, PublicKey publicKey) throws Exception {
        byte[] message = "header.payload".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(message);
        return verifier.verify(signature);
    }

    @Test
    void aGeneratedKeySignsAndTheStatementsPublicKeyVerifies() throws Exception {
        SnowflakeKeyPair keys = SnowflakeKeys.generate();

        String statement = keys.setPublicKeyStatement("cdi_user");
        PublicKey publicKey = publicKeyFrom(statement);
        PrivateKey privateKey = PemKeys.read(keys.privateKeyPem().reveal(), null, "privateKey");

        assertThat(statement).startsWith("ALTER USER \"CDI_USER\" SET RSA_PUBLIC_KEY='MIIB").endsWith("';").doesNotContain("\n");
        assertThat(((RSAPublicKey) publicKey).getModulus().bitLength()).isEqualTo(2048);
        assertThat(signatureVerifies(privateKey, publicKey)).isTrue();
        assertThat(signatureVerifies(privateKey, publicFrom(SnowflakeKeys.generate()))).isFalse();
        assertThat(keys.privateKeyPem().reveal()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(keys.encrypted()).isFalse();
        assertThat(keys.fingerprint()).isEqualTo("SHA256:" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded())));
        assertThat(keys.publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\nMIIB");
        assertThat(keys.toString()).contains(keys.fingerprint()).doesNotContain(keys.privateKeyPem().reveal().substring(30, 60));
        assertThat(SnowflakeKeys.fromPrivateKey(keys.privateKeyPem(), null).publicKeyBase64()).isEqualTo(keys.publicKeyBase64());
    }

    static PublicKey publicFrom(SnowflakeKeyPair keys) throws Exception {
        return publicKeyFrom(keys.setPublicKeyStatement("CDI_USER"));
    }

    @Test
    void anEncryptedKeyNeedsItsPassphraseAndIsLargerKeysOnRequest() throws Exception {
        SnowflakeKeyPair keys = SnowflakeKeys.generate(3072, Secret.of("s3cret phrase"));

        assertThat(keys.encrypted()).isTrue();
        assertThat(keys.privateKeyPem().reveal()).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
        PrivateKey privateKey = PemKeys.read(keys.privateKeyPem().reveal(), "s3cret phrase".toCharArray(), "privateKey");
        assertThat(signatureVerifies(privateKey, publicFrom(keys))).isTrue();
        assertThat(((RSAPublicKey) publicFrom(keys)).getModulus().bitLength()).isEqualTo(3072);
        assertThatThrownBy(() -> PemKeys.read(keys.privateKeyPem().reveal(), "wrong".toCharArray(), "privateKey"))
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessage("privateKey: the passphrase does not decrypt the private key");
        assertThatThrownBy(() -> PemKeys.read(keys.privateKeyPem().reveal(), null, "privateKey"))
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("is encrypted");
        assertThatThrownBy(() -> SnowflakeKeys.generate(1024, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encryptedKeysInteroperateWithOpenSsl(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        // OpenSSL decrypts ours...
        SnowflakeKeyPair ours = SnowflakeKeys.generate(Secret.of("pass word"));
        Files.writeString(dir.resolve("ours.p8"), ours.privateKeyPem().reveal());
        String decrypted = run(dir, "openssl", "pkcs8", "-in", "ours.p8", "-passin", "pass:pass word");
        assertThat(SnowflakeKeys.fromPrivateKey(Secret.of(decrypted), null).fingerprint()).isEqualTo(ours.fingerprint());
        // ...and we read what Snowflake's documentation tells users to run.
        run(dir, "openssl", "genrsa", "-out", "rsa.pem", "2048");
        run(dir, "openssl", "pkcs8", "-topk8", "-v2", "aes256", "-in", "rsa.pem", "-out", "theirs.p8", "-passout", "pass:pass word");
        String publicPem = run(dir, "openssl", "rsa", "-in", "rsa.pem", "-pubout");
        SnowflakeKeyPair theirs = SnowflakeKeys.fromPrivateKey(Secret.of(Files.readString(dir.resolve("theirs.p8"))), Secret.of("pass word"));
        assertThat(theirs.publicKeyBase64()).isEqualTo(publicPem.replaceAll("-----[A-Z ]+-----|\\s", ""));
    }

    @Test
    void rotationPutsTheNewKeyInTheFreeSlotThenUnsetsTheOldOne() throws Exception {
        KeyRotation rotation = SnowflakeKeys.rotate("cdi_user", PublicKeySlot.RSA_PUBLIC_KEY, null);

        assertThat(rotation.addNewKeyStatement()).startsWith("ALTER USER \"CDI_USER\" SET RSA_PUBLIC_KEY_2='MIIB");
        assertThat(rotation.removeOldKeyStatement()).isEqualTo("ALTER USER \"CDI_USER\" UNSET RSA_PUBLIC_KEY;");
        PrivateKey newKey = PemKeys.read(rotation.newKeyPair().privateKeyPem().reveal(), null, "privateKey");
        assertThat(signatureVerifies(newKey, publicKeyFrom(rotation.addNewKeyStatement()))).isTrue();

        KeyRotation back = SnowflakeKeys.rotate("CDI_USER", rotation.newSlot(), Secret.of("p"));
        assertThat(back.addNewKeyStatement()).startsWith("ALTER USER \"CDI_USER\" SET RSA_PUBLIC_KEY='");
        assertThat(back.removeOldKeyStatement()).isEqualTo("ALTER USER \"CDI_USER\" UNSET RSA_PUBLIC_KEY_2;");
    }

    @Test
    void userNamesAreValidatedAndQuoted() {
        assertThat(SnowflakeKeys.quoteUser("cdi_user")).isEqualTo("\"CDI_USER\"");
        assertThat(SnowflakeKeys.quoteUser("jane.doe@acme.com")).isEqualTo("\"jane.doe@acme.com\"");
        assertThat(SnowflakeKeys.quoteUser("\"MixedCase\"")).isEqualTo("\"MixedCase\"");
        assertThat(SnowflakeKeys.quoteUser("a\"; DROP USER x; --")).isEqualTo("\"a\"\"; DROP USER x; --\"");
        assertThat(SnowflakeKeys.unsetPublicKeyStatement("it's", PublicKeySlot.RSA_PUBLIC_KEY_2))
                .isEqualTo("ALTER USER \"it's\" UNSET RSA_PUBLIC_KEY_2;");
        assertThatThrownBy(() -> SnowflakeKeys.quoteUser(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnowflakeKeys.quoteUser("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnowflakeKeys.quoteUser("x".repeat(256))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnowflakeKeys.setPublicKeyStatement("u", PublicKeySlot.RSA_PUBLIC_KEY, "abc';DROP"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnowflakeKeys.fromPrivateKey(Secret.of("-----BEGIN RSA PRIVATE KEY-----\nAA\n-----END RSA PRIVATE KEY-----"), null))
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("openssl pkcs8 -topk8");
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
        return out;
    }
}
