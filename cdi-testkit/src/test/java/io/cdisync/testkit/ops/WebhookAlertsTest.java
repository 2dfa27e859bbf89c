package io.cdisync.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import io.cdisync.core.ops.AlertSettings;
import io.cdisync.core.ops.IntegrationRunner;
import io.cdisync.core.ops.WebhookNotifier;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.FakeBraze;
import io.cdisync.testkit.FakeTable;
import io.cdisync.testkit.FakeWarehouse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each kind of alert, raised by real runs and posted to a real HTTP server on 127.0.0.1. */
@ExtendWith(CdiTestExtension.class)
class WebhookAlertsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    HttpServer server;
    final List<JsonNode> posted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/alerts", exchange -> {
            posted.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    IntegrationRunner runner(OpsSetup ops) {
        return ops.runner(WebhookNotifier.builder().url(Secret.of("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts"))
                .build()).build();
    }

    @Test
    void everyKindOfAlertArrivesWithCountsAndNeitherSecretsNorPayloads(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        OpsSetup ops = new OpsSetup(warehouse, client);
        FakeTable users = ops.activeIntegration("users", b -> b.keepFailedRowPayloads(true).alerts(AlertSettings.GLOBAL_ERRORS_ONLY
                .withRowErrorPercentAbove(20).withOnSuccess(true).withOnNoRowsChanged(true)));
        IntegrationRunner runner = runner(ops);
        for (int i = 0; i < 4; i++) {
            users.insert(OpsSetup.row(i, "user-" + i, i == 0 ? "{\"secret-plan\":" : "{\"plan\":\"secret-gold\"}"));
        }

        runner.run("users");                               // 1 of 4 rows failed: 25% > 20%, and rows synced
        runner.run("users");                               // nothing new
        users.insert(OpsSetup.row(10, "user-10", "{}"));
        braze.failNext(1, 401);
        runner.run("users");                               // Braze refuses the API key: a global error

        assertThat(posted).extracting(p -> p.path("kind").asText())
                .containsExactly("ROW_ERRORS_ABOVE_THRESHOLD", "SUCCESS", "NO_ROWS_CHANGED", "GLOBAL_ERROR");
        JsonNode threshold = posted.get(0);
        assertThat(threshold.path("subject").asText()).isEqualTo("[cdi] users: 25.0% of rows failed");
        assertThat(threshold.path("text").asText()).contains("1 of 4 rows read failed (25.0%, above the 20.0% threshold)");
        assertThat(threshold.path("recipients").get(0).asText()).isEqualTo("data-team@example.com");
        assertThat(threshold.path("run").path("rowsFailed").asLong()).isEqualTo(1);
        assertThat(posted.get(1).path("subject").asText()).isEqualTo("[cdi] users: sync succeeded with row errors");
        assertThat(posted.get(2).path("run").path("rowsDelivered").asLong()).as("the edge row is re-read and skipped").isZero();
        assertThat(posted.get(2).path("run").path("rowsFailed").asLong()).isZero();
        JsonNode error = posted.get(3);
        assertThat(error.path("subject").asText()).isEqualTo("[cdi] users: sync failed");
        assertThat(error.path("run").path("status").asText()).isEqualTo("ERROR");
        assertThat(error.path("run").path("failure").asText()).contains("401");
        assertThat(posted.toString()).doesNotContain("secret-plan").doesNotContain("secret-gold").doesNotContain(OpsSetup.SECRET)
                .doesNotContain(braze.apiKey());
    }

    @Test
    void globalErrorsAlertEvenWithNoOptionalAlertAndAWebhookThatFailsChangesNothing(FakeWarehouse warehouse, BrazeClient client) {
        OpsSetup ops = new OpsSetup(warehouse, client);
        FakeTable users = ops.activeIntegration("users", b -> b);
        users.insert(OpsSetup.row(1, "user-1", "{}"));
        runner(ops).run("users");
        assertThat(posted).isEmpty();

        warehouse.dropTable(users.name());
        assertThat(runner(ops).run("users").run().failure()).contains("does not exist");
        assertThat(posted).extracting(p -> p.path("kind").asText()).containsExactly("GLOBAL_ERROR");
        assertThat(posted.get(0).path("text").asText()).contains("table users_sync does not exist or is not visible to this user");

        server.stop(0);
        warehouse.createTable(users.name()).insert(OpsSetup.row(2, "user-2", "{}"));
        warehouse.dropTable(users.name());
        assertThat(runner(ops).run("users").run().status().name()).as("the alert is lost, the run is recorded").isEqualTo("ERROR");
        assertThat(ops.runLog.runs("users", 10)).hasSize(3);
    }
}
