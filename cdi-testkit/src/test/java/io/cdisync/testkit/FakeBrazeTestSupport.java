package io.cdisync.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Shared set-up and HTTP helpers of the {@link FakeBraze} tests. */
abstract class FakeBrazeTestSupport {
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TRACK = "/users/track";

    FakeBraze braze;

    @BeforeEach
    void startFake() {
        braze = FakeBraze.start();
    }

    @AfterEach
    void closeFake() {
        braze.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(braze, "POST", path, body, "application/json");
    }

    HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        return send(braze, method, path, body, "application/json");
    }

    HttpResponse<String> send(String method, String path, String body, String authorization, String contentType)
            throws IOException, InterruptedException {
        return HTTP.send(request(braze.url(), method, path, body, authorization, contentType),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(FakeBraze fake, String method, String path, String body, String contentType)
            throws IOException, InterruptedException {
        return HTTP.send(request(fake.url(), method, path, body, "Bearer " + fake.apiKey(), contentType),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest request(String method, String path, String body, String authorization, String contentType) {
        return request(braze.url(), method, path, body, authorization, contentType);
    }

    static HttpRequest request(String url, String method, String path, String body, String authorization,
                                       String contentType) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder.build();
    }

    static String attributes(String prefix, int count) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode attributes = body.putArray("attributes");
        for (int i = 0; i < count; i++) {
            attributes.addObject().put("external_id", prefix + i).put("score", i);
        }
        return body.toString();
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    static List<String> externalIds(List<ObjectNode> objects) {
        return objects.stream().map(o -> o.get("external_id").asText()).toList();
    }

    static List<Integer> statuses(List<RecordedBrazeRequest> requests) {
        return requests.stream().map(RecordedBrazeRequest::status).toList();
    }

    static Map<String, List<Integer>> errorIndices(JsonNode answer) {
        Map<String, List<Integer>> byArray = new java.util.TreeMap<>();
        for (JsonNode error : answer.get("errors")) {
            byArray.computeIfAbsent(error.get("input_array").asText(), k -> new ArrayList<>())
                    .add(error.get("index").asInt());
        }
        return byArray;
    }

    static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}