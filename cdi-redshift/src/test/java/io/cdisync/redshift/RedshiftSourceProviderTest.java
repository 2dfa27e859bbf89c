package io.cdisync.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: redshift} as the CLI finds and uses it: through {@link ServiceLoader}, from text settings. */
@ExtendWith(RedshiftStandIn.class)
class RedshiftSourceProviderTest {
    final RedshiftStandIn redshift = RedshiftStandIn.shared();

    static SourceProvider provider() {
        return ServiceLoader.load(SourceProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("redshift")).findFirst().orElseThrow();
    }

    Map<String, String> minimal(String table) {
        Map<String, String> values = new HashMap<>();
        values.put("host", "127.0.0.1");
        values.put("port", Integer.toString(redshift.port()));
        values.put("database", RedshiftStandIn.DATABASE);
        values.put("user", redshift.postgres().user());
        values.put("password", redshift.postgres().password().reveal());
        values.put("table", table);
        values.put("ssl", "false");
        return values;
    }

    static SourceConnector create(Map<String, String> values) {
        return provider().create(new SourceSettings("source", values));
    }

    @Test
    void theProviderIsFoundByTypeAndBuildsAWorkingSource() {
        String table = redshift.database().createUsersTable();
        Map<String, String> values = minimal(table);
        values.put("fetchSize", "500");
        values.put("dataType", "user_attributes");

        SourceConnector source = create(values);
        source.check();

        assertThat(provider().keys()).containsExactlyInAnyOrder("host", "port", "database", "user", "password", "table", "ssl",
                "fetchSize", "sshHost", "sshPort", "sshUser", "sshPrivateKey", "sshPassphrase", "sshHostKeyFingerprint", "dataType");
        assertThat(source).isInstanceOf(RedshiftSource.class);
        assertThat(source.describe()).isEqualTo("redshift table " + table + " on 127.0.0.1:" + redshift.port() + "/cdi");
        assertThat(new SourceSettings("source", values).toString()).doesNotContain(redshift.postgres().password().reveal());
    }

    @Test
    void theDataTypeDecidesTheRequiredColumns() {
        String table = redshift.database().createUsersTable();
        Map<String, String> values = minimal(table);
        values.put("dataType", "CATALOG_ITEMS");
        assertThatThrownBy(() -> create(values).check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("has no column ID");
        values.put("dataType", "everything");
        assertThatThrownBy(() -> create(values)).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageStartingWith("source.dataType: 'everything' is not one of [USER_ATTRIBUTES");
    }

    @Test
    void sshSettingsBuildATunnel(@TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("bastion_key"), SshBastion.pkcs8Pem(SshTunnelTest.KEY));
        Map<String, String> values = minimal("users");
        values.putAll(Map.of("sshHost", "bastion.example.com", "sshUser", "cdi", "sshPrivateKey", key.toString(),
                "sshPassphrase", "pass-1234", "sshHostKeyFingerprint", "SHA256:GadvPk0LSoBqfzaps/yyeIq2KJjZXYac20n7epjoaWg"));

        RedshiftSource source = (RedshiftSource) create(values);

        SshTunnel tunnel = source.sshTunnel().orElseThrow();
        assertThat(tunnel.host()).isEqualTo("bastion.example.com");
        assertThat(tunnel.port()).isEqualTo(22);
        assertThat(tunnel.user()).isEqualTo("cdi");
        assertThat(tunnel.privateKeyFile()).contains(key);
        assertThat(tunnel.passphrase()).isPresent();
        assertThat(tunnel.hostKeyFingerprint()).contains("SHA256:GadvPk0LSoBqfzaps/yyeIq2KJjZXYac20n7epjoaWg");
        assertThat(source.toString()).doesNotContain("pass-1234");
    }

    @Test
    void everyErrorNamesTheKeyToFix(@TempDir Path dir) throws IOException {
        Map<String, String> values = minimal("users");
        values.remove("host");
        assertThatThrownBy(() -> create(values)).isInstanceOf(CdiException.ConfigurationError.class).hasMessage("source.host: required");
        values.put("host", "127.0.0.1");
        values.put("port", "fifty");
        assertThatThrownBy(() -> create(values)).hasMessage("source.port: 'fifty' is not a whole number");
        values.put("port", "70000");
        assertThatThrownBy(() -> create(values)).hasMessage("source.port: port must be between 1 and 65535, was 70000");
        values.put("port", "5439");
        values.put("ssl", "maybe");
        assertThatThrownBy(() -> create(values)).hasMessage("source.ssl: 'maybe' is not true or false");
        values.put("ssl", "true");
        values.remove("password");
        assertThatThrownBy(() -> create(values)).hasMessage("source.password: required");
        values.put("password", "pw");

        values.put("sshUser", "cdi");
        assertThatThrownBy(() -> create(values)).hasMessage("source.sshHost: required when any other ssh* setting is given");
        values.put("sshHost", "bastion");
        assertThatThrownBy(() -> create(values)).hasMessage("source.sshPrivateKey: required");
        values.put("sshPrivateKey", dir.resolve("missing_key").toString());
        assertThatThrownBy(() -> create(values)).hasMessageStartingWith("source.sshPrivateKey: no readable file at");
        values.put("sshPrivateKey", dir.toString());
        assertThatThrownBy(() -> create(values)).hasMessageStartingWith("source.sshPrivateKey: no readable file at");
        values.put("sshPrivateKey", Files.writeString(dir.resolve("key"), "k").toString());
        values.put("sshHostKeyFingerprint", "aa:bb");
        assertThatThrownBy(() -> create(values)).hasMessageStartingWith("source.sshHostKeyFingerprint: hostKeyFingerprint must look like");
    }
}
