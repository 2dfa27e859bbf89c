package io.cdisync.braze;

import static io.cdisync.braze.ScriptedDispatcher.json;
import static io.cdisync.braze.ScriptedDispatcher.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link BrazeClient} against a real local HTTP server (MockWebServer) standing in for Braze. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BrazeClientTest {
    private static final String KEY = "brz-test-key-5f1d0c8e-must-never-leak";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockWebServer server;
    private ScriptedDispatcher braze;

    @BeforeEach
    void startServer() throws IOException {
        server = new MockWebServer();
        braze = new ScriptedDispatcher();
        server.setDispatcher(braze);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** A client of the local server with short backoffs. */
    private BrazeClient.Builder client() {
        return BrazeClient.builder()
                .endpoint(server.url("/").toString())
                .apiKey(Secret.of(KEY))
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(50))
                .callTimeout(Duration.ofSeconds(5));
    }

    private static ObjectNode user(String externalId) {
        ObjectNode node = JSON.createObjectNode().put("external_id", externalId);
        node.put("first_name", "F" + externalId);
        return node;
    }

    private static TrackRequest oneAttribute() {
        return TrackRequest.attributes(List.of(user("u1")));
    }

    private static Throwable failure(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
        return e.getCause();
    }

    // ---------------------------------------------------------------- /users/track

    @Test
    void trackPostsTheArraysWithBearerKeyAndMapsErrorsBackByIndex() throws Exception {
        braze.then(json(201, """
                {"message":"success","errors":[
                  {"type":"'external_id' or 'braze_id' or 'user_alias' is required","input_array":"attributes","index":1},
                  {"type":"'name' is required","input_array":"events","index":0}]}"""));
        ObjectNode event = JSON.createObjectNode().put("external_id", "u1").put("name", "signup").put("time", "2024-01-01T00:00:00Z");
        ObjectNode purchase = JSON.createObjectNode().put("external_id", "u1").put("product_id", "p").put("price", 1.5);
        TrackRequest request = new TrackRequest(List.of(user("u1"), user("u2"), user("u3")), List.of(event), List.of(purchase));

        BrazeResponse response;
        try (BrazeClient client = client().build()) {
            response = client.track(request).get(10, TimeUnit.SECONDS);
        }

        ScriptedDispatcher.Arrival sent = braze.arrivals().get(0);
        assertEquals("POST", sent.request().getMethod());
        assertEquals("/users/track", sent.request().getUrl().encodedPath());
        assertEquals("Bearer " + KEY, sent.request().getHeaders().get("Authorization"));
        assertTrue(sent.request().getHeaders().get("Content-Type").startsWith("application/json"),
                sent.request().getHeaders().get("Content-Type"));
        JsonNode body = JSON.readTree(sent.body());
        assertEquals(List.of("attributes", "events", "purchases"), iterableNames(body));
        assertEquals(3, body.get("attributes").size());
        assertEquals("u2", body.get("attributes").get(1).get("external_id").asText());
        assertEquals("Fu3", body.get("attributes").get(2).get("first_name").asText());
        assertEquals("signup", body.get("events").get(0).get("name").asText());
        assertEquals(1.5, body.get("purchases").get(0).get("price").asDouble());

        assertEquals(201, response.statusCode());
        assertEquals("success", response.message());
        assertEquals(1, response.attempts());
        assertEquals(0, response.rateLimitedWaits());
        Map<Integer, ObjectError> attributeErrors = response.errorsByIndex("attributes");
        assertEquals(List.of(1), List.copyOf(attributeErrors.keySet()));
        assertTrue(attributeErrors.get(1).message().contains("external_id"));
        assertEquals(List.of(0), List.copyOf(response.errorsByIndex("events").keySet()));
        assertTrue(response.errorsByIndex("purchases").isEmpty());
    }

    @Test
    void anEncodedTrackRequestSendsTheObjectsBytesAsTheyAreAndMapsErrorsBackByIndex() throws Exception {
        braze.then(json(201, """
                {"message":"success","errors":[{"type":"bad","input_array":"events","index":1}]}"""));
        List<EncodedObject> events = List.of(
                EncodedObject.wrap("{\"external_id\":\"u1\",\"name\":\"a\",\"n\":1E+400}".getBytes(StandardCharsets.UTF_8)),
                EncodedObject.of(JSON.createObjectNode().put("external_id", "u2").put("name", "é")));
        EncodedTrackRequest request = new EncodedTrackRequest(EncodedTrackRequest.Array.EVENTS, events);

        BrazeResponse response;
        try (BrazeClient client = client().build()) {
            response = client.track(request).get(10, TimeUnit.SECONDS);
        }

        String sent = braze.arrivals().get(0).body();
        assertEquals("{\"events\":[{\"external_id\":\"u1\",\"name\":\"a\",\"n\":1E+400},"
                + "{\"external_id\":\"u2\",\"name\":\"é\"}]}", sent);
        assertEquals(new String(request.body(), StandardCharsets.UTF_8), sent);
        assertEquals(List.of(1), List.copyOf(response.errorsByIndex("events").keySet()));
        assertEquals("EncodedObject[42 bytes]", events.get(0).toString()); // never the content
        assertThrows(IllegalArgumentException.class, () -> EncodedObject.wrap(" {}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> new EncodedTrackRequest(EncodedTrackRequest.Array.ATTRIBUTES,
                List.of()));
        List<EncodedObject> tooMany = java.util.Collections.nCopies(76, events.get(0));
        assertThrows(IllegalArgumentException.class, () -> new EncodedTrackRequest(EncodedTrackRequest.Array.ATTRIBUTES,
                tooMany));
    }

    @Test
    void trackOmitsEmptyArraysAndKeepsTheEndpointsPath() throws Exception {
        try (BrazeClient client = client().endpoint(server.url("/braze-proxy/").toString()).build()) {
            BrazeResponse response = client.track(TrackRequest.events(List.of(
                    JSON.createObjectNode().put("external_id", "u1").put("name", "e")))).get(10, TimeUnit.SECONDS);
            assertTrue(response.errors().isEmpty());
        }
        ScriptedDispatcher.Arrival sent = braze.arrivals().get(0);
        assertEquals("/braze-proxy/users/track", sent.request().getUrl().encodedPath());
        assertEquals(List.of("events"), iterableNames(JSON.readTree(sent.body())));
    }

    private static List<String> iterableNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---------------------------------------------------------------- 429 and X-RateLimit-*

    @Test
    void a429WaitsForTheResetAndResendsTheSameRequestWithoutUsingAnAttempt() throws Exception {
        long[] reset = new long[1];
        braze.then(request -> {
            // At least half a second ahead, in epoch seconds as Braze sends it.
            reset[0] = (System.currentTimeMillis() + 1_500) / 1_000;
            return new MockResponse.Builder().code(429)
                    .setHeader("X-RateLimit-Limit", "3000")
                    .setHeader("X-RateLimit-Remaining", "0")
                    .setHeader("X-RateLimit-Reset", reset[0])
                    .body("{\"message\":\"Too Many Requests\"}").build();
        });
        BrazeResponse response;
        BrazeClientStats stats;
        try (BrazeClient client = client().maxAttempts(1).build()) {
            response = client.track(oneAttribute()).get(10, TimeUnit.SECONDS);
            stats = client.stats();
        }

        List<ScriptedDispatcher.Arrival> arrivals = braze.arrivals();
        assertEquals(2, arrivals.size());
        assertEquals(arrivals.get(0).body(), arrivals.get(1).body(), "the same request is sent again");
        long resetMillis = reset[0] * 1_000;
        assertTrue(arrivals.get(1).wallMillis() >= resetMillis - 20,
                "resent " + (resetMillis - arrivals.get(1).wallMillis()) + " ms before the window reset");
        long waited = (arrivals.get(1).nanos() - arrivals.get(0).nanos()) / 1_000_000;
        assertTrue(waited >= resetMillis - arrivals.get(0).wallMillis() - 50, "waited only " + waited + " ms");
        assertEquals(201, response.statusCode());
        assertEquals(1, response.attempts(), "a 429 is not an attempt: maxAttempts(1) still succeeds");
        assertEquals(1, response.rateLimitedWaits());
        assertEquals(new BrazeClientStats(2, 0, 1, 0), stats);
    }

    @Test
    void a429WithRetryAfterWaitsThatLong() throws Exception {
        braze.then(new MockResponse.Builder().code(429).setHeader("Retry-After", "1").build());
        try (BrazeClient client = client().build()) {
            BrazeResponse response = client.track(oneAttribute()).get(10, TimeUnit.SECONDS);
            assertEquals(1, response.rateLimitedWaits());
            assertEquals(1, response.attempts());
        }
        List<ScriptedDispatcher.Arrival> arrivals = braze.arrivals();
        long waited = (arrivals.get(1).nanos() - arrivals.get(0).nanos()) / 1_000_000;
        assertTrue(waited >= 980, "waited only " + waited + " ms");
    }

    @Test
    void a429ThatWouldOutlastMaxRateLimitWaitWaitsThatLongThenFailsNamingTheReset() throws Exception {
        // Hourly plans: the reset can be far away. The client waits up to maxRateLimitWait, asks once more, then
        // gives up as retryable with the reset time in the message.
        long reset = System.currentTimeMillis() / 1_000 + 60;
        MockResponse limited = new MockResponse.Builder().code(429).setHeader("X-RateLimit-Remaining", "0")
                .setHeader("X-RateLimit-Reset", reset).build();
        braze.then(limited).then(limited);
        try (BrazeClient client = client().maxRateLimitWait(Duration.ofMillis(500)).build()) {
            long started = System.nanoTime();
            Throwable error = failure(client.track(oneAttribute()));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertInstanceOf(BrazeException.Unavailable.class, error);
            assertEquals(429, ((BrazeException) error).statusCode());
            assertTrue(((BrazeException) error).retryable());
            assertTrue(error.getMessage().contains(java.time.Instant.ofEpochSecond(reset).toString()), error.getMessage());
            assertTrue(elapsed >= 450, "waited only " + elapsed + " ms of maxRateLimitWait");
            assertTrue(elapsed < 10_000, "gave up without waiting a minute");
        }
        assertEquals(2, braze.count(), "asked again once maxRateLimitWait was used up");
    }

    @Test
    void remainingZeroOnASuccessHoldsTheNextRequestUntilTheReset() throws Exception {
        long[] reset = new long[1];
        braze.then(request -> {
            reset[0] = (System.currentTimeMillis() + 1_500) / 1_000;
            return new MockResponse.Builder().code(201)
                    .setHeader("X-RateLimit-Remaining", "0")
                    .setHeader("X-RateLimit-Reset", reset[0])
                    .body("{\"message\":\"success\"}").build();
        });
        try (BrazeClient client = client().build()) {
            assertEquals(0, client.track(oneAttribute()).get(10, TimeUnit.SECONDS).rateLimitedWaits());
            BrazeResponse second = client.track(oneAttribute()).get(10, TimeUnit.SECONDS);
            assertEquals(0, second.rateLimitedWaits(), "held back by the pacer, not by a 429");
        }
        List<ScriptedDispatcher.Arrival> arrivals = braze.arrivals();
        assertEquals(2, arrivals.size());
        assertTrue(arrivals.get(1).wallMillis() >= reset[0] * 1_000 - 20,
                "sent " + (reset[0] * 1_000 - arrivals.get(1).wallMillis()) + " ms before the window reset");
    }

    // ---------------------------------------------------------------- retries

    @Test
    void serverErrorsAreRetriedWithBackoffUntilSuccess() throws Exception {
        braze.then(json(500, "{\"message\":\"Internal Server Error\"}")).then(json(503, "")).then(success());
        try (BrazeClient client = client().build()) {
            BrazeResponse response = client.track(oneAttribute()).get(10, TimeUnit.SECONDS);
            assertEquals(201, response.statusCode());
            assertEquals(3, response.attempts());
            assertEquals(new BrazeClientStats(3, 2, 0, 0), client.stats());
        }
        assertEquals(3, braze.count());
        List<ScriptedDispatcher.Arrival> arrivals = braze.arrivals();
        assertEquals(arrivals.get(0).body(), arrivals.get(2).body());
    }

    @Test
    void aDroppedConnectionIsRetried() throws Exception {
        // The server reads the request, then closes the socket without answering.
        braze.then(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        try (BrazeClient client = client().build()) {
            BrazeResponse response = client.track(oneAttribute()).get(10, TimeUnit.SECONDS);
            assertEquals(201, response.statusCode());
            assertEquals(2, response.attempts());
            assertEquals(1, client.stats().retries());
        }
        assertEquals(2, braze.count());
    }

    @Test
    void anAnswerSlowerThanTheCallTimeoutIsRetried() throws Exception {
        braze.then(new MockResponse.Builder().code(201).headersDelay(2, TimeUnit.SECONDS).body("{}").build());
        try (BrazeClient client = client().callTimeout(Duration.ofMillis(300)).build()) {
            BrazeResponse response = client.track(oneAttribute()).get(10, TimeUnit.SECONDS);
            assertEquals(201, response.statusCode());
            assertEquals(2, response.attempts());
        }
        assertEquals(2, braze.count());
    }

    @Test
    void serverErrorsThatNeverStopFailAsUnavailableAfterMaxAttempts() throws Exception {
        for (int i = 0; i < 10; i++) {
            braze.then(json(503, "{\"message\":\"Service Unavailable\"}"));
        }
        try (BrazeClient client = client().maxAttempts(3).build()) {
            Throwable error = failure(client.track(oneAttribute()));
            BrazeException.Unavailable unavailable = assertInstanceOf(BrazeException.Unavailable.class, error);
            assertTrue(unavailable.retryable());
            assertEquals(503, unavailable.statusCode());
            assertTrue(unavailable.getMessage().contains("3 attempts"), unavailable.getMessage());
            assertEquals(new BrazeClientStats(3, 2, 0, 1), client.stats());
        }
        assertEquals(3, braze.count());
    }

    @Test
    void unauthorizedFailsAtOnceAndNeverCarriesTheKey() throws Exception {
        // Braze echoes the key it refuses.
        braze.then(json(401, "{\"message\":\"Invalid API key: " + KEY + "\"}"))
                .then(json(403, "{\"message\":\"Invalid API key: " + KEY + "\"}"));
        try (BrazeClient client = client().build()) {
            Throwable error = failure(client.track(oneAttribute()));
            BrazeException.Unauthorized unauthorized = assertInstanceOf(BrazeException.Unauthorized.class, error);
            assertEquals(401, unauthorized.statusCode());
            assertFalse(unauthorized.retryable());
            assertFalse(unauthorized.getMessage().contains(KEY), unauthorized.getMessage());
            assertTrue(unauthorized.getMessage().contains("Invalid API key"), unauthorized.getMessage());
            Thread.sleep(200); // a retry would have been sent by now
            assertEquals(1, braze.count(), "401 is not retried");

            Throwable forbidden = failure(client.track(oneAttribute()));
            assertInstanceOf(BrazeException.Unauthorized.class, forbidden);
            assertEquals(403, ((BrazeException) forbidden).statusCode());
            assertEquals(2, braze.count(), "403 is not retried");
        }
    }

    @Test
    void badRequestIsRejectedWithoutRetry() throws Exception {
        braze.then(json(400, "{\"message\":\"Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.\"}"));
        try (BrazeClient client = client().build()) {
            Throwable error = failure(client.track(oneAttribute()));
            BrazeException.Rejected rejected = assertInstanceOf(BrazeException.Rejected.class, error);
            assertEquals(400, rejected.statusCode());
            assertFalse(rejected.retryable());
            assertTrue(rejected.body().contains("Valid data must be provided"));
            assertTrue(rejected.getMessage().contains("Valid data must be provided"), rejected.getMessage());
            Thread.sleep(200);
            assertEquals(new BrazeClientStats(1, 0, 0, 1), client.stats());
        }
        assertEquals(1, braze.count());
    }

    // ---------------------------------------------------------------- pacing and in-flight bound

    @Test
    void requestsArePacedAtTheConfiguredRateLimit() throws Exception {
        int n = 30;
        long started = System.nanoTime();
        try (BrazeClient client = client().trackRateLimit(RateLimit.of(20, Duration.ofSeconds(1))).build()) {
            List<CompletableFuture<BrazeResponse>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(client.track(oneAttribute()));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(n, braze.count());
        // 30 requests at 20 per second: the 21st may not go before a second has passed.
        assertTrue(elapsedMillis >= 950, "30 requests at 20/s took only " + elapsedMillis + " ms");
        assertTrue(elapsedMillis < 4_500, "30 requests at 20/s took " + elapsedMillis + " ms");
        List<ScriptedDispatcher.Arrival> arrivals = braze.arrivals();
        long spanMillis = (arrivals.get(n - 1).nanos() - arrivals.get(0).nanos()) / 1_000_000;
        assertTrue(spanMillis >= 900, "the server saw 30 requests within " + spanMillis + " ms");
    }

    @Test
    void neverMoreThanMaxRequestsInFlight() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        braze.gate(gate);
        try (BrazeClient client = client().maxRequestsInFlight(2).build()) {
            List<CompletableFuture<BrazeResponse>> futures = new ArrayList<>();
            // Under the bound, calls return at once: the futures are not done while the server holds them.
            futures.add(client.track(oneAttribute()));
            futures.add(client.track(oneAttribute()));
            assertFalse(futures.get(0).isDone() || futures.get(1).isDone());
            awaitTrue(() -> braze.concurrent() == 2);

            CompletableFuture<Void> more = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 6; i++) {
                    futures.add(client.track(oneAttribute()));
                }
            });
            Thread.sleep(300);
            assertFalse(more.isDone(), "the third call blocks while two requests are in flight");
            assertEquals(2, braze.count(), "the server saw only two requests");

            gate.countDown();
            more.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<BrazeResponse> future : List.copyOf(futures)) {
                assertEquals(201, future.get(10, TimeUnit.SECONDS).statusCode());
            }
        }
        assertEquals(8, braze.count());
        assertEquals(2, braze.maxConcurrent());
    }

    @Test
    void inFlightBoundHoldsUnderDelaysWithManyCallers() throws Exception {
        braze.hold(100);
        try (BrazeClient client = client().maxRequestsInFlight(2).build()) {
            List<CompletableFuture<BrazeResponse>> futures = IntStream.range(0, 4).parallel()
                    .mapToObj(i -> client.track(oneAttribute()))
                    .toList();
            for (CompletableFuture<BrazeResponse> future : futures) {
                future.get(10, TimeUnit.SECONDS);
            }
        }
        assertEquals(4, braze.count());
        assertTrue(braze.maxConcurrent() <= 2, "server saw " + braze.maxConcurrent() + " requests at once");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.sleep(5);
        }
    }

    // ---------------------------------------------------------------- the key never leaks

    @Test
    void theApiKeyNeverAppearsInLogsExceptionsOrToString() throws Exception {
        braze.then(json(500, "{\"message\":\"boom " + KEY + "\"}"))
                .then(json(401, "{\"message\":\"Invalid API key: " + KEY + "\"}"))
                .then(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build())
                .then(new MockResponse.Builder().code(429).setHeader("Retry-After", "0").build())
                .then(json(400, "{\"message\":\"bad request from " + KEY + "\"}"));
        List<Throwable> errors = new ArrayList<>();
        try (BrazeClient client = client().build()) {
            assertFalse(client.toString().contains(KEY), client.toString());
            assertTrue(client.toString().contains(server.getHostName()), client.toString());
            errors.add(failure(client.track(oneAttribute()))); // 500, then 401
            errors.add(failure(client.track(oneAttribute()))); // dropped, 429, then 400
        }
        assertInstanceOf(BrazeException.Unauthorized.class, errors.get(0));
        BrazeException.Rejected rejected = assertInstanceOf(BrazeException.Rejected.class, errors.get(1));
        assertFalse(rejected.body().contains(KEY), rejected.body());
        for (Throwable error : errors) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(KEY), t.toString());
                assertFalse(t.toString().contains(KEY), t.toString());
            }
        }
        assertEquals("****", Secret.of(KEY).toString());
        assertFalse(Secret.of(KEY).redact("key=" + KEY).contains(KEY));

        String log = Files.readString(logFile(), StandardCharsets.UTF_8);
        assertTrue(log.contains("Braze answered 500 to POST /users/track"), "the log file is the client's log:\n" + log);
        assertTrue(log.contains("No answer from Braze"), log);
        assertTrue(log.contains("rate limited"), log);
        assertFalse(log.contains(KEY), "the log holds the API key");
    }

    /** The file slf4j-simple writes to, as configured in simplelogger.properties. */
    private static Path logFile() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = BrazeClientTest.class.getResourceAsStream("/simplelogger.properties")) {
            properties.load(in);
        }
        return Path.of(properties.getProperty("org.slf4j.simpleLogger.logFile"));
    }

    // ---------------------------------------------------------------- catalogs and deletes

    @Test
    void catalogUpsertPutsTheItemsAndDeleteUsesDelete() throws Exception {
        braze.then(json(202, "{\"message\":\"success\"}")).then(json(202, "{\"message\":\"success\"}"));
        List<ObjectNode> items = List.of(JSON.createObjectNode().put("id", "r1").put("Name", "One"),
                JSON.createObjectNode().put("id", "r2").put("Name", "Two"));
        try (BrazeClient client = client().build()) {
            BrazeResponse upsert = client.catalogItems(new CatalogRequest("restaurants", CatalogRequest.Operation.UPSERT, items))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(202, upsert.statusCode());
            assertTrue(upsert.errors().isEmpty());
            client.catalogItems(new CatalogRequest("my catalog", CatalogRequest.Operation.DELETE,
                    List.of(JSON.createObjectNode().put("id", "r1")))).get(10, TimeUnit.SECONDS);
        }
        List<ScriptedDispatcher.Arrival> arrivals = braze.arrivals();
        assertEquals("PUT", arrivals.get(0).request().getMethod());
        assertEquals("/catalogs/restaurants/items", arrivals.get(0).request().getUrl().encodedPath());
        assertEquals("Bearer " + KEY, arrivals.get(0).request().getHeaders().get("Authorization"));
        JsonNode body = JSON.readTree(arrivals.get(0).body());
        assertEquals(2, body.get("items").size());
        assertEquals("Two", body.get("items").get(1).get("Name").asText());
        assertEquals("DELETE", arrivals.get(1).request().getMethod());
        assertEquals("/catalogs/my%20catalog/items", arrivals.get(1).request().getUrl().encodedPath());
        assertEquals("r1", JSON.readTree(arrivals.get(1).body()).get("items").get(0).get("id").asText());
    }

    @Test
    void catalog400WithItemErrorsIsANothingWrittenResponseWithThoseItems() throws Exception {
        // Braze's shape (braze-recordings): the id is the error code, the items are in parameter_values, and the
        // whole request was refused. (The former "id is the item id" shape was our fake's, not Braze's: now Rejected.)
        braze.then(json(400, """
                {"message":"Invalid Request","errors":[{"id":"invalid-fields",
                  "message":"Some of the fields given do not exist in the catalog",
                  "parameters":["id"],"parameter_values":["r3","r1"]}]}"""));
        // parameter_values as objects with an id (more than one parameter).
        braze.then(json(400, """
                {"message":"Invalid Request","errors":[{"id":"unable-to-coerce-value","message":"Could not coerce value",
                  "parameters":["id","field"],"parameter_values":[{"id":"r2","field":"Rating"}]}]}"""));
        braze.then(json(400, """
                {"message":"Invalid Request","errors":[{"id":"r2","message":"Invalid value for field Rating"}]}"""));
        List<ObjectNode> items = List.of(JSON.createObjectNode().put("id", "r1"), JSON.createObjectNode().put("id", "r2"),
                JSON.createObjectNode().put("id", "r3"));
        try (BrazeClient client = client().build()) {
            CatalogRequest request = new CatalogRequest("restaurants", CatalogRequest.Operation.UPSERT, items);
            BrazeResponse first = client.catalogItems(request).get(10, TimeUnit.SECONDS);
            assertEquals(400, first.statusCode());
            assertTrue(first.nothingWritten());
            assertEquals(List.of("r3", "r1"), first.errors().stream().map(ObjectError::id).toList());
            assertEquals(List.of(0, 2), List.copyOf(first.errorsByIndex("items").keySet()));
            assertEquals("items", first.errors().get(0).inputArray());
            assertEquals("invalid-fields: Some of the fields given do not exist in the catalog",
                    first.errors().get(0).message());

            BrazeResponse second = client.catalogItems(request).get(10, TimeUnit.SECONDS);
            assertTrue(second.nothingWritten());
            ObjectError error = second.errors().get(0);
            assertEquals("r2", error.id());
            assertEquals(1, error.index(), "maps back to the item's position in the request");
            assertEquals("unable-to-coerce-value: Could not coerce value (field: Rating)", error.message());

            Throwable third = failure(client.catalogItems(request));
            assertInstanceOf(BrazeException.Rejected.class, third);
            assertTrue(third.getMessage().contains("r2: Invalid value for field Rating"), third.getMessage());
        }
        assertEquals(3, braze.count(), "item errors are not retried");
    }

    @Test
    void catalog400WithoutItemErrorsIsRejected() throws Exception {
        braze.then(json(400, """
                {"message":"Invalid Request","errors":[{"id":"items-missing-ids",
                  "message":"There are 1 item(s) that do not have ids","parameters":[],"parameter_values":[]}]}"""));
        try (BrazeClient client = client().build()) {
            Throwable error = failure(client.catalogItems(new CatalogRequest("restaurants", CatalogRequest.Operation.UPSERT,
                    List.of(JSON.createObjectNode().put("Name", "no id")))));
            BrazeException.Rejected rejected = assertInstanceOf(BrazeException.Rejected.class, error);
            assertTrue(rejected.body().contains("items-missing-ids"));
        }
    }

    @Test
    void deleteUsersSendsExternalIdsAliasesAndBrazeIds() throws Exception {
        braze.then(json(202, "{\"deleted\":4,\"message\":\"success\"}"));
        try (BrazeClient client = client().build()) {
            BrazeResponse response = client.deleteUsers(new DeleteRequest(List.of("e1", "e2"),
                    List.of(new DeleteRequest.UserAlias("a1", "email")), List.of("b1"))).get(10, TimeUnit.SECONDS);
            assertEquals(202, response.statusCode());
        }
        ScriptedDispatcher.Arrival sent = braze.arrivals().get(0);
        assertEquals("POST", sent.request().getMethod());
        assertEquals("/users/delete", sent.request().getUrl().encodedPath());
        JsonNode body = JSON.readTree(sent.body());
        assertEquals("[\"e1\",\"e2\"]", body.get("external_ids").toString());
        assertEquals("[{\"alias_name\":\"a1\",\"alias_label\":\"email\"}]", body.get("user_aliases").toString());
        assertEquals("[\"b1\"]", body.get("braze_ids").toString());
    }

    @Test
    void deleteOmitsEmptyIdentifierLists() throws Exception {
        try (BrazeClient client = client().build()) {
            client.deleteUsers(new DeleteRequest(List.of("e1"), null, null)).get(10, TimeUnit.SECONDS);
        }
        JsonNode body = JSON.readTree(braze.arrivals().get(0).body());
        assertEquals(List.of("external_ids"), iterableNames(body));
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    void closeFailsRequestsThatAreWaitingOrBlockedAndLaterCalls() throws Exception {
        braze.then(new MockResponse.Builder().code(429).setHeader("Retry-After", "30").build());
        BrazeClient client = client().maxRequestsInFlight(1).build();
        CompletableFuture<BrazeResponse> waiting = client.track(oneAttribute());
        awaitTrue(() -> braze.count() == 1);
        // A second caller blocks: the only in-flight slot is taken by the request waiting out the 429.
        CompletableFuture<CompletableFuture<BrazeResponse>> blocked = CompletableFuture.supplyAsync(() -> client.track(oneAttribute()));
        Thread.sleep(200);
        assertFalse(waiting.isDone());
        assertFalse(blocked.isDone());

        client.close();

        Throwable error = failure(waiting);
        assertInstanceOf(BrazeException.Unavailable.class, error);
        assertTrue(error.getMessage().contains("closed"), error.getMessage());
        assertInstanceOf(BrazeException.Unavailable.class, failure(blocked.get(10, TimeUnit.SECONDS)));
        assertInstanceOf(BrazeException.Unavailable.class, failure(client.track(oneAttribute())));
        assertEquals(1, braze.count());
    }

    @Test
    void closingTheClientLeavesASharedOkHttpClientUsable() throws Exception {
        OkHttpClient shared = new OkHttpClient();
        try {
            try (BrazeClient client = client().okHttpClient(shared).build()) {
                assertEquals(201, client.track(oneAttribute()).get(10, TimeUnit.SECONDS).statusCode());
            }
            CompletableFuture<Integer> status = new CompletableFuture<>();
            shared.newCall(new Request.Builder().url(server.url("/ping")).build()).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                    status.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call call, Response response) {
                    try (response) {
                        status.complete(response.code());
                    }
                }
            });
            assertEquals(201, status.get(10, TimeUnit.SECONDS));
            assertNull(braze.arrivals().get(1).request().getHeaders().get("Authorization"),
                    "the shared client does not pick up the key");
        } finally {
            shared.dispatcher().executorService().shutdown();
            shared.connectionPool().evictAll();
        }
    }

    @Test
    void builderRequiresEndpointAndKey() {
        assertThrows(IllegalStateException.class, () -> BrazeClient.builder().apiKey(Secret.of(KEY)).build());
        assertThrows(IllegalStateException.class, () -> BrazeClient.builder().endpoint("http://127.0.0.1:1").build());
        IllegalArgumentException notAUrl = assertThrows(IllegalArgumentException.class,
                () -> BrazeClient.builder().endpoint("rest.iad-01.braze.com"));
        assertTrue(notAUrl.getMessage().contains("rest.iad-01.braze.com"));
        assertThrows(IllegalArgumentException.class, () -> BrazeClient.builder().maxRequestsInFlight(0));
        assertThrows(IllegalArgumentException.class, () -> BrazeClient.builder().maxAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> BrazeClient.builder().callTimeout(Duration.ZERO));
    }
}
