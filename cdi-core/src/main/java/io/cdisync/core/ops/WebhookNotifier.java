package io.cdisync.core.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.Secret;
import io.cdisync.core.ops.internal.OpsJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Posts each {@link Alert} as JSON to a URL, with the JDK's {@link HttpClient} (no dependency). The body
 * carries {@code kind}, {@code integration}, {@code recipients}, {@code subject}, {@code text} (so a Slack
 * or Teams incoming webhook shows it as is) and {@code run} (id, status, counts, last UPDATED_AT, start,
 * duration, failure). Any 2xx answer is success; anything else, or no answer within the timeout, is an
 * {@link OpsException.NotificationFailed}.
 *
 * <pre>{@code
 * Notifier webhook = WebhookNotifier.builder()
 *         .url(Secret.of(System.getenv("ALERT_WEBHOOK_URL")))   // such URLs often embed a token
 *         .header("Authorization", Secret.of("Bearer " + token))
 *         .build();
 * }</pre>
 *
 * <p>The URL is a {@link Secret}: messages and {@link #toString()} show only its scheme, host and port.
 * Thread-safe.
 */
public final class WebhookNotifier implements Notifier {
    private final Secret url;
    private final String target;
    private final Map<String, Secret> headers;
    private final Duration timeout;
    private final HttpClient client;

    private WebhookNotifier(Builder builder) {
        this.url = builder.url;
        URI uri = URI.create(url.reveal());
        this.target = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        this.headers = Map.copyOf(builder.headers);
        this.timeout = builder.timeout;
        this.client = builder.client != null ? builder.client : HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A builder; the URL is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void send(Alert alert) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.reveal())).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", "cdi-webhook-notifier")
                .POST(HttpRequest.BodyPublishers.ofString(OpsJson.text(body(alert)), StandardCharsets.UTF_8));
        headers.forEach((name, value) -> request.header(name, value.reveal()));
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new OpsException.NotificationFailed("webhook " + target + " could not be reached for the alert on "
                    + alert.integration() + ": " + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpsException.NotificationFailed("interrupted while posting the alert on " + alert.integration() + " to "
                    + target, null);
        }
        if (response.statusCode() / 100 != 2) {
            throw new OpsException.NotificationFailed("webhook " + target + " answered HTTP " + response.statusCode()
                    + " to the alert on " + alert.integration(), null);
        }
    }

    /** The JSON body posted for {@code alert}. */
    public static ObjectNode body(Alert alert) {
        ObjectNode root = OpsJson.JSON.createObjectNode();
        root.put("kind", alert.kind().name());
        root.put("integration", alert.integration());
        ArrayNode recipients = root.putArray("recipients");
        alert.recipients().forEach(recipients::add);
        root.put("subject", alert.subject());
        root.put("text", alert.text());
        root.set("run", OpsJson.run(alert.run()));
        return root;
    }

    @Override
    public String toString() {
        return "WebhookNotifier{" + target + "}";
    }

    /** Settings of a {@link WebhookNotifier}. */
    public static final class Builder {
        private Secret url;
        private final Map<String, Secret> headers = new LinkedHashMap<>();
        private Duration timeout = Duration.ofSeconds(10);
        private HttpClient client;

        private Builder() {
        }

        /** The URL to POST to, {@code http} or {@code https} (required). */
        public Builder url(Secret url) {
            Objects.requireNonNull(url, "url");
            URI uri;
            try {
                uri = URI.create(url.reveal());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the webhook URL is not a valid URI");
            }
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("the webhook URL must be an http or https URL with a host");
            }
            this.url = url;
            return this;
        }

        /** A header sent with each request (e.g. {@code Authorization}); its value never prints. */
        public Builder header(String name, Secret value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Connect and answer timeout (default 10 s). */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The HTTP client to use (default: a new one, no redirects). */
        public Builder httpClient(HttpClient client) {
            this.client = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** Builds the notifier. */
        public WebhookNotifier build() {
            if (url == null) {
                throw new IllegalStateException("url is required");
            }
            return new WebhookNotifier(this);
        }
    }
}
