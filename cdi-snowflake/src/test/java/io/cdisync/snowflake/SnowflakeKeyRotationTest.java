package io.cdisync.snowflake;

import static io.cdisync.snowflake.SnowflakeSourceTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.snowflake.internal.PemKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rotation through RSA_PUBLIC_KEY_2, its statements run through the real driver, with no moment where no key works. */
class SnowflakeKeyRotationTest {
    final FakeSnowflake snowflake = FakeSnowflake.start();

    @AfterEach
    void close() {
        snowflake.close();
    }

    SnowflakeSource.Builder source(Path keyFile) {
        return SnowflakeSource.builder().url(snowflake.url()).account("acme").user("CDI_USER").privateKeyFile(keyFile)
                .database("ANALYTICS").schema("BRAZE").table("USERS_SYNC").loginTimeout(Duration.ofSeconds(10));
    }

    /** What an administrator does: runs the statement logged in with a key that works. */
    void runAsAdmin(SnowflakeKeyPair keys, String statement) throws Exception {
        Properties info = new Properties();
        info.setProperty("user", "CDI_USER");
        info.setProperty("account", "acme");
        info.setProperty("authenticator", "SNOWFLAKE_JWT");
        info.setProperty("ssl", "off");
        info.setProperty("disablePlatformDetection", "true");
        info.put("privateKey", PemKeys.read(keys.privateKeyPem().reveal(), null, "privateKey"));
        try (Connection connection = DriverManager.getConnection("jdbc:snowflake://" + snowflake.url().substring(7), info);
                Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    @Test
    void bothKeysWorkDuringTheRotationAndOnlyTheNewOneAfter(@TempDir Path dir) throws Exception {
        SnowflakeKeyPair old = SnowflakeKeys.generate();
        snowflake.user("CDI_USER", null);
        snowflake.table("ANALYTICS", "BRAZE", "USERS_SYNC").column("UPDATED_AT", "TIMESTAMP_NTZ").column("EXTERNAL_ID", "TEXT")
                .insert(Map.of("UPDATED_AT", T0, "EXTERNAL_ID", "u1"));
        snowflake.user("CDI_USER", old.publicKeyBase64());
        Path keyFile = Files.writeString(dir.resolve("rsa_key.p8"), old.privateKeyPem().reveal());
        SnowflakeSource source = source(keyFile).build();
        source.check();

        KeyRotation rotation = SnowflakeKeys.rotate("CDI_USER", PublicKeySlot.RSA_PUBLIC_KEY, null);
        runAsAdmin(old, rotation.addNewKeyStatement());
        assertThat(snowflake.keysOf("CDI_USER")).containsOnlyKeys(PublicKeySlot.RSA_PUBLIC_KEY, PublicKeySlot.RSA_PUBLIC_KEY_2)
                .containsEntry(PublicKeySlot.RSA_PUBLIC_KEY_2, rotation.newKeyPair().publicKeyBase64());
        source.check(); // the old key still works

        // The same source picks up the replaced key file on its next connection.
        Files.writeString(keyFile, rotation.newKeyPair().privateKeyPem().reveal());
        source.check();
        assertThat(snowflake.logins().get(snowflake.logins().size() - 1).verifiedFingerprint()).isEqualTo(rotation.newKeyPair().fingerprint());

        runAsAdmin(rotation.newKeyPair(), rotation.removeOldKeyStatement());
        assertThat(snowflake.keysOf("CDI_USER")).containsOnlyKeys(PublicKeySlot.RSA_PUBLIC_KEY_2);
        source.check();

        Path oldFile = Files.writeString(dir.resolve("old.p8"), old.privateKeyPem().reveal());
        assertThatThrownBy(() -> source(oldFile).build().check()).isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining(old.fingerprint()).hasMessageContaining("RSA_PUBLIC_KEY_2_FP");
    }

    @Test
    void aMissingKeyFileIsAConfigurationError(@TempDir Path dir) {
        snowflake.user("CDI_USER", SnowflakeKeys.generate().publicKeyBase64());
        assertThatThrownBy(() -> source(dir.resolve("missing.p8")).build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("privateKeyFile: cannot read").hasMessageContaining("missing.p8");
        assertThat(snowflake.logins()).isEmpty();
        assertThat(Secret.of("x").toString()).isEqualTo("****");
    }
}
