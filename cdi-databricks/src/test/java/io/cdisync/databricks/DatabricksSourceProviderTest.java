package io.cdisync.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** {@code type: databricks} through ServiceLoader, as the CLI finds it. */
class DatabricksSourceProviderTest {
    static SourceProvider provider() {
        return ServiceLoader.load(SourceProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("databricks")).findFirst().orElseThrow();
    }

    @Test
    void buildsASourceFromSettings() {
        try (FakeDatabricks databricks = FakeDatabricks.start()) {
            DatabricksSourceTest.usersTable(databricks, "STRING");
            Map<String, String> values = new HashMap<>(Map.of("host", databricks.url(), "httpPath", "/sql/1.0/warehouses/wh123",
                    "token", FakeDatabricks.TOKEN, "catalog", "main", "schema", "braze", "table", "users_sync", "fetchSize", "500",
                    "warmupTimeout", "PT1M", "dataType", "USER_ATTRIBUTES"));
            SourceConnector source = provider().create(new SourceSettings("source", values));

            source.check();

            assertThat(source.describe()).isEqualTo("databricks table main.braze.users_sync");
            assertThat(provider().keys()).containsExactlyInAnyOrder("host", "httpPath", "token", "catalog", "schema", "table",
                    "fetchSize", "warmupTimeout", "dataType");
            assertThat(new SourceSettings("source", values).toString()).doesNotContain(FakeDatabricks.TOKEN);
            values.put("warmupTimeout", "6 minutes");
            assertThatThrownBy(() -> provider().create(new SourceSettings("source", values)))
                    .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("source.warmupTimeout");
            values.remove("warmupTimeout");
            values.remove("httpPath");
            assertThatThrownBy(() -> provider().create(new SourceSettings("source", values)))
                    .isInstanceOf(CdiException.ConfigurationError.class).hasMessage("source.httpPath: required");
        }
    }
}
