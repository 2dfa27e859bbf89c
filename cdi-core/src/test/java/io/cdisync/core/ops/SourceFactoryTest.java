package io.cdisync.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.spi.SourceConnector;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources opened from credentials through the providers on the class path, and activation on a real connection test. */
class SourceFactoryTest {
    @TempDir
    Path dir;

    @Test
    void credentialsAndTheIntegrationsTableMakeASourceWhoseTestActivatesIt() {
        TestDatabase db = TestDatabase.duckdb(dir);
        String table = db.createUsersTable();
        Integrations integrations = new Integrations(new InMemoryIntegrationStore(), OpsFixtures.CLOCK);
        integrations.putCredentials(Credentials.builder().name("local").type("duckdb")
                .setting("path", dir.resolve("warehouse.duckdb").toString()).build());
        integrations.create(OpsFixtures.integration("users", "local", table).build());
        integrations.create(OpsFixtures.integration("missing", "local", "no_such_table").build());
        SourceFactory sources = SourceFactory.fromProviders(getClass().getClassLoader());

        try (SourceConnector source = sources.open(integrations.get("users"), integrations.credentials("local").orElseThrow())) {
            assertThat(integrations.activate("users", source).state()).isEqualTo(IntegrationState.ACTIVE);
        }
        try (SourceConnector source = sources.open(integrations.get("missing"), integrations.credentials("local").orElseThrow())) {
            assertThatThrownBy(() -> integrations.activate("missing", source)).isInstanceOf(OpsException.Refused.class)
                    .hasMessageContaining("its connection test failed").hasMessageContaining("no_such_table");
        }
        assertThat(integrations.get("missing").lastConnectionTest().passed()).isFalse();

        Credentials typo = Credentials.builder().name("typo").type("duckdb").setting("pth", "x").build();
        assertThatThrownBy(() -> sources.open(integrations.get("users"), typo)).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessage("credentials typo: 'pth' is not a setting of source type duckdb; its settings are [dataType, fetchSize, path,"
                        + " table] (table and dataType come from the integration)");
        Credentials unknown = Credentials.builder().name("u").type("oracle").build();
        assertThatThrownBy(() -> sources.open(integrations.get("users"), unknown)).hasMessageContaining("unknown source type 'oracle'");
    }
}
