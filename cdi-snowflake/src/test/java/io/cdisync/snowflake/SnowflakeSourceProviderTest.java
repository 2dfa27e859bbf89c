package io.cdisync.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: snowflake} through ServiceLoader, as the CLI finds it. */
class SnowflakeSourceProviderTest {
    static SourceProvider provider() {
        return ServiceLoader.load(SourceProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("snowflake")).findFirst().orElseThrow();
    }

    @Test
    void buildsASourceFromSettings(@TempDir Path dir) throws Exception {
        try (FakeSnowflake snowflake = FakeSnowflake.start()) {
            SnowflakeSourceTest.usersTable(snowflake, "TIMESTAMP_NTZ");
            Path key = Files.writeString(dir.resolve("rsa_key.p8"), SnowflakeSourceTest.KEYS.privateKeyPem().reveal());
            Map<String, String> values = new HashMap<>(Map.of("url", snowflake.url(), "account", "acme", "user", "cdi_user",
                    "privateKey", key.toString(), "warehouse", "CDI_WH", "database", "ANALYTICS", "schema", "BRAZE",
                    "table", "USERS_SYNC", "fetchSize", "500", "dataType", "user_attributes"));
            SourceConnector source = provider().create(new SourceSettings("source", values));

            source.check();

            assertThat(source.describe()).isEqualTo("snowflake table ANALYTICS.BRAZE.USERS_SYNC");
            assertThat(provider().keys()).contains("account", "url", "user", "privateKey", "privateKeyPassphrase", "warehouse", "role",
                    "database", "schema", "table", "fetchSize", "dataType");
            values.remove("user");
            assertThatThrownBy(() -> provider().create(new SourceSettings("source", values)))
                    .isInstanceOf(CdiException.ConfigurationError.class).hasMessage("source.user: required");
            values.put("user", "cdi_user");
            values.put("dataType", "catalog_items");
            assertThatThrownBy(() -> provider().create(new SourceSettings("source", values)).check())
                    .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("no column ID");
        }
    }
}
