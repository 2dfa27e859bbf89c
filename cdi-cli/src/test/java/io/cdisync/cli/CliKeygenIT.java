package io.cdisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cdi keygen}: the private key signs what the key in the printed ALTER USER statement verifies. */
class CliKeygenIT {
    @Test
    void writesAKeyPairAndTheAlterUserStatement(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("keys");
        CliJar.Result result = CliJar.run(Map.of(), dir, "keygen", "--out", out.toString(), "--user", "braze_cdi");
        assertThat(result.exitCode()).as(result.stderr()).isZero();

        Matcher statement = Pattern.compile("ALTER USER \"?BRAZE_CDI\"? SET RSA_PUBLIC_KEY='([A-Za-z0-9+/=]+)';",
                Pattern.CASE_INSENSITIVE).matcher(result.stdout());
        assertThat(statement.find()).as(result.stdout()).isTrue();
        PublicKey publicKey = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(statement.group(1))));
        String pem = Files.readString(out.resolve("rsa_key.p8"));
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                .decode(pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").trim())));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey);
        signer.update("cdi".getBytes());
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update("cdi".getBytes());
        assertThat(verifier.verify(signature)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("rsa_key.p8")))).isEqualTo("rw-------");
        assertThat(result.stdout()).doesNotContain(pem.lines().skip(1).findFirst().orElseThrow());

        CliJar.Result again = CliJar.run(Map.of(), dir, "keygen", "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.stderr()).contains("already exists");
    }
}
