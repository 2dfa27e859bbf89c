package io.cdisync.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileIntegrationStore}, plus secret sealing (the same for the JDBC store). */
class FileIntegrationStoreTest extends IntegrationStoreContractTest {
    static final Secret KEY = Secret.of(Base64.getEncoder().encodeToString(new byte[32]));

    @TempDir
    Path dir;

    @Override
    IntegrationStore store() {
        return new FileIntegrationStore(dir);
    }

    @Test
    void aSealedStoreKeepsNoSecretInTheClearAndNeedsItsKey() throws Exception {
        IntegrationSnapshot snapshot = IntegrationSnapshot.EMPTY.with(OpsFixtures.warehouse("warehouse"));
        new FileIntegrationStore(dir, SecretSealer.aesGcm(KEY)).commit(0, snapshot);
        String text = Files.readString(dir.resolve("integrations.json"));
        assertThat(text).doesNotContain(OpsFixtures.PASSWORD).contains("aesgcm:");
        assertThat(new FileIntegrationStore(dir, SecretSealer.aesGcm(KEY)).load().credentials()).isEqualTo(snapshot.credentials());

        Secret otherKey = Secret.of(Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes()));
        assertThatThrownBy(() -> new FileIntegrationStore(dir, SecretSealer.aesGcm(otherKey)).load())
                .isInstanceOf(OpsException.StoreFailure.class).hasMessage("cannot decrypt a stored secret: wrong key, or the store was altered");
        assertThatThrownBy(() -> new FileIntegrationStore(dir).load()).isInstanceOf(OpsException.StoreFailure.class)
                .hasMessageContaining("configure the store with SecretSealer.aesGcm(key)");
        assertThatThrownBy(() -> SecretSealer.aesGcm(Secret.of("c2hvcnQ="))).hasMessage("the secret sealing key must be 32 bytes (256 bits), was 5");
    }

    @Test
    void aPlainStoreIsReadableByItsOwnerOnly() throws Exception {
        store().commit(0, IntegrationSnapshot.EMPTY.with(OpsFixtures.warehouse("warehouse")));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("integrations.json"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aCorruptFileIsAClearErrorThatQuotesNothingOfIt() throws Exception {
        Files.writeString(dir.resolve("integrations.json"), "{\"version\":1,\"snapshot\":{\"credentials\":[{\"secrets\":{\"password\":\"plain:"
                + OpsFixtures.PASSWORD + "\"");
        assertThatThrownBy(() -> store().load()).isInstanceOf(OpsException.StoreFailure.class)
                .hasMessageContaining("is not a valid integrations file").hasMessageNotContaining(OpsFixtures.PASSWORD);
    }
}
