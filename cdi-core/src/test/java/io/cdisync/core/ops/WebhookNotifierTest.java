package io.cdisync.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cdisync.braze.Secret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WebhookNotifier} against a real HTTP server on 127.0.0.1 (the JDK's). */
class WebhookNotifierTest {
    HttpServer server;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> auth = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(204);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/T000/secret-token", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T000/secret-token";
    }

    static Alert alert() {
        RunRecord run = new RunRecord("run-1", "users", RunRecord.Kind.SYNC, RunStatus.ERROR, 5, 3, 0, 0, OpsFixtures.T0,
                OpsFixtures.T0, Duration.ofMillis(1500), "authentication failed for user braze: check the user and password");
        return new Alert(Alert.Kind.GLOBAL_ERROR, "users", List.of("data@example.com"), run, "[cdi] users: sync failed", "text");
    }

    @Test
    void postsTheAlertAsJsonWithItsHeaders() throws Exception {
        WebhookNotifier webhook = WebhookNotifier.builder().url(Secret.of(url())).header("Authorization", Secret.of("Bearer t0k3n")).build();
        webhook.send(alert());
        assertThat(auth).containsExactly("Bearer t0k3n");
        JsonNode body = new ObjectMapper().readTree(bodies.get(0));
        assertThat(body.path("kind").asText()).isEqualTo("GLOBAL_ERROR");
        assertThat(body.path("integration").asText()).isEqualTo("users");
        assertThat(body.path("recipients").get(0).asText()).isEqualTo("data@example.com");
        assertThat(body.path("subject").asText()).isEqualTo("[cdi] users: sync failed");
        assertThat(body.path("text").asText()).isEqualTo("text");
        assertThat(body.path("run").path("status").asText()).isEqualTo("ERROR");
        assertThat(body.path("run").path("rowsDelivered").asLong()).isEqualTo(3);
        assertThat(body.path("run").path("durationMs").asLong()).isEqualTo(1500);
        assertThat(webhook.toString()).isEqualTo("WebhookNotifier{http://127.0.0.1:" + server.getAddress().getPort() + "}");
    }

    @Test
    void aRefusalOrNoAnswerIsANotificationFailureThatHidesTheUrlsPath() {
        status.set(500);
        WebhookNotifier webhook = WebhookNotifier.builder().url(Secret.of(url())).build();
        assertThatThrownBy(() -> webhook.send(alert())).isInstanceOf(OpsException.NotificationFailed.class)
                .hasMessage("webhook http://127.0.0.1:" + server.getAddress().getPort() + " answered HTTP 500 to the alert on users")
                .hasMessageNotContaining("secret-token");
        int port = server.getAddress().getPort();
        server.stop(0);
        WebhookNotifier gone = WebhookNotifier.builder().url(Secret.of(url())).timeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> gone.send(alert())).isInstanceOf(OpsException.NotificationFailed.class)
                .hasMessageStartingWith("webhook http://127.0.0.1:" + port + " could not be reached").hasMessageNotContaining("secret-token");
        assertThatThrownBy(() -> WebhookNotifier.builder().url(Secret.of("ftp://x/y"))).hasMessageContaining("http or https");
    }
}
