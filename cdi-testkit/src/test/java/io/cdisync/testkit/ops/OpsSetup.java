package io.cdisync.testkit.ops;

import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import io.cdisync.core.ops.Alert;
import io.cdisync.core.ops.ConnectionTest;
import io.cdisync.core.ops.Credentials;
import io.cdisync.core.ops.InMemoryIntegrationStore;
import io.cdisync.core.ops.InMemoryRunLog;
import io.cdisync.core.ops.Integration;
import io.cdisync.core.ops.IntegrationRunner;
import io.cdisync.core.ops.IntegrationStore;
import io.cdisync.core.ops.Integrations;
import io.cdisync.core.ops.Notifier;
import io.cdisync.core.ops.RunLog;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.InMemoryWatermarkStore;
import io.cdisync.testkit.FakeTable;
import io.cdisync.testkit.FakeWarehouse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * An operated sync over the testkit's fakes: integrations in memory whose credentials of type {@code fake} name
 * tables of a {@link FakeWarehouse}, a run log, a recording notifier, and an {@link IntegrationRunner} builder.
 */
final class OpsSetup {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String SECRET = "fake-warehouse-pw-9f3k";

    final FakeWarehouse warehouse;
    final BrazeClient client;
    final Integrations integrations;
    final RunLog runLog;
    final WatermarkStore store;
    final List<Alert> alerts = new CopyOnWriteArrayList<>();

    OpsSetup(FakeWarehouse warehouse, BrazeClient client) {
        this(warehouse, client, new InMemoryIntegrationStore(), new InMemoryRunLog(), new InMemoryWatermarkStore());
    }

    OpsSetup(FakeWarehouse warehouse, BrazeClient client, IntegrationStore integrationStore, RunLog runLog, WatermarkStore store) {
        this.warehouse = warehouse;
        this.client = client;
        this.integrations = new Integrations(integrationStore);
        this.runLog = runLog;
        this.store = store;
        integrations.putCredentials(Credentials.builder().name("fake-dw").type("fake").setting("host", "warehouse.local")
                .secret("password", Secret.of(SECRET)).build());
    }

    /** Creates table {@code name} and an active integration reading it; {@code change} adjusts the integration. */
    FakeTable activeIntegration(String name, UnaryOperator<Integration.Builder> change) {
        FakeTable table = warehouse.createTable(name + "_sync");
        integrations.create(change.apply(Integration.builder().name(name).dataType(DataType.USER_ATTRIBUTES).credentials("fake-dw")
                .table(table.name()).contacts(List.of("data-team@example.com"))).build());
        integrations.activate(name, ConnectionTest.passed(T0));
        return table;
    }

    IntegrationRunner.Builder runner() {
        return runner(alerts::add);
    }

    IntegrationRunner.Builder runner(Notifier notifier) {
        return IntegrationRunner.builder().integrations(integrations)
                .sources((integration, credentials) -> warehouse.connector(integration.table()))
                .braze(client).watermarkStore(store).runLog(runLog).notifier(notifier);
    }

    static SourceRow row(int second, String externalId, String payload) {
        return FakeTable.attributes(T0.plusSeconds(second), externalId, payload);
    }
}
