package io.cdisync.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code /users/track} contract, rate limiting, fault injection and lifecycle of {@link FakeBraze}. */
class FakeBrazeTest extends FakeBrazeTestSupport {

    // ---- /users/track: accepted objects -------------------------------------------------------

    @Test
    void recordsAcceptedObjectsAndAnswers201() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode first = body.putArray("attributes").addObject().put("external_id", "u1").put("plan", "pro");
        first.putObject("address").put("city", "Paris");
        first.putArray("pets").addObject().put("name", "Rex");
        body.withArray("attributes").addObject().put("_update_existing_only", true)
                .putObject("user_alias").put("alias_name", "a1").put("alias_label", "crm");
        body.putArray("events").addObject().put("braze_id", "b1").put("name", "login")
                .put("time", "2024-05-01T10:00:00Z");
        body.putArray("purchases").addObject().put("email", "x@example.com").put("phone", "+33100000000")
                .put("product_id", "sku-1").put("currency", "EUR").put("price", 9.99)
                .put("time", "2024-05-01T10:00:00+02:00");

        HttpResponse<String> response = post(TRACK, body.toString());

        assertEquals(201, response.statusCode());
        JsonNode answer = json(response);
        assertEquals("success", answer.get("message").asText());
        assertEquals(2, answer.get("attributes_processed").asInt());
        assertEquals(1, answer.get("events_processed").asInt());
        assertEquals(1, answer.get("purchases_processed").asInt());
        assertNull(answer.get("errors"));
        // the alias object is update only and its user unknown: answered success, applied to nothing
        assertEquals(List.of(body.get("attributes").get(0)), braze.attributes());
        assertEquals(List.of(body.get("attributes").get(1)), braze.skippedUpdateOnly());
        assertFalse(braze.hasAliasUser("a1", "crm"));
        assertEquals(List.of(body.get("events").get(0)), braze.events());
        assertEquals(List.of(body.get("purchases").get(0)), braze.purchases());

        RecordedBrazeRequest recorded = braze.requests().get(0);
        assertEquals("POST", recorded.method());
        assertEquals(TRACK, recorded.path());
        assertEquals(201, recorded.status());
        assertEquals(body, recorded.bodyJson());
        assertEquals("Bearer ****", recorded.header("authorization").orElseThrow());
        assertEquals(1, braze.requestCount(TRACK));
        assertEquals(0, braze.requestCount("/users/delete"));
    }

    @Test
    void answersOnlyTheArraysSentAndReturnsCopies() throws Exception {
        HttpResponse<String> response = post(TRACK, attributes("u", 2));
        JsonNode answer = json(response);
        assertEquals(2, answer.get("attributes_processed").asInt());
        assertFalse(answer.has("events_processed"));
        assertFalse(answer.has("purchases_processed"));

        braze.attributes().get(0).put("external_id", "changed");
        assertEquals("u0", braze.attributes().get(0).get("external_id").asText());
    }

    // ---- /users/track: request-level rejections -----------------------------------------------

    @Test
    void wrongOrMissingKeyIs401EchoingTheKeyButNotRecordingIt() throws Exception {
        String secret = "wrong-secret-key-123";
        HttpResponse<String> wrong = send("POST", TRACK, attributes("u", 1), "Bearer " + secret, "application/json");
        assertEquals(401, wrong.statusCode());
        // as Braze (braze_ruby_track_401_invalid_key.json): the key sent is echoed, rate limit headers empty
        assertEquals("Invalid API key: " + secret, json(wrong).get("message").asText());
        assertEquals("", wrong.headers().firstValue("X-RateLimit-Limit").orElseThrow());
        assertEquals("", wrong.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
        assertEquals("", wrong.headers().firstValue("X-RateLimit-Reset").orElseThrow());

        assertEquals(401, send("POST", TRACK, attributes("u", 1), null, "application/json").statusCode());
        assertEquals(401, send("POST", TRACK, attributes("u", 1), braze.apiKey(), "application/json").statusCode());

        assertTrue(braze.attributes().isEmpty());
        assertEquals(3, braze.requestCount(TRACK));
        RecordedBrazeRequest recorded = braze.requests().get(0);
        assertEquals(401, recorded.status());
        assertEquals(List.of("Bearer ****"), recorded.headers().get("Authorization"));
        assertFalse(recorded.toString().contains(secret));
        assertFalse(recorded.headers().toString().contains(secret));
    }

    @Test
    void enforcesMethodContentTypeBodyAndPath() throws Exception {
        String key = "Bearer " + braze.apiKey();
        HttpResponse<String> get = send("GET", TRACK, null, key, null);
        assertEquals(405, get.statusCode());
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
        assertEquals(400, send("POST", TRACK, attributes("u", 1), key, "text/plain").statusCode());
        assertEquals(400, send("POST", TRACK, attributes("u", 1), key, null).statusCode());
        assertEquals(201, send("POST", TRACK, attributes("u", 1), key, "application/json; charset=UTF-8").statusCode());
        assertEquals(400, post(TRACK, "[]").statusCode());
        assertEquals(400, post(TRACK, "{\"attributes\": [").statusCode());
        assertEquals(400, post(TRACK, "").statusCode());
        assertEquals(400, post(TRACK, "{\"attributes\": {}}").statusCode());
        HttpResponse<String> empty = post(TRACK, "{\"attributes\": [], \"events\": []}");
        assertEquals(400, empty.statusCode());
        assertTrue(json(empty).get("message").asText().contains("attributes"));
        assertEquals(404, post("/users/nope", attributes("u", 1)).statusCode());
        assertEquals(404, post("/catalogs//items", "{}").statusCode());

        assertEquals(1, braze.attributes().size());
        assertEquals(1, braze.requestCount("/users/nope"));
    }

    @Test
    void moreThan75ObjectsIs400AndNothingProcessed() throws Exception {
        HttpResponse<String> response = post(TRACK, attributes("u", 76));
        assertEquals(400, response.statusCode());
        assertEquals("Max Input Length Exceeded", json(response).get("message").asText());
        assertTrue(braze.attributes().isEmpty());

        ObjectNode mixed = (ObjectNode) JSON.readTree(attributes("ok", 1));
        ArrayNode events = mixed.putArray("events");
        for (int i = 0; i < 76; i++) {
            events.addObject().put("external_id", "e" + i).put("name", "n").put("time", "2024-01-01T00:00:00Z");
        }
        assertEquals(400, post(TRACK, mixed.toString()).statusCode());
        assertTrue(braze.attributes().isEmpty());
        assertTrue(braze.events().isEmpty());

        assertEquals(201, post(TRACK, attributes("u", 75)).statusCode());
        assertEquals(75, braze.attributes().size());
    }

    // ---- /users/track: object-level errors ----------------------------------------------------

    @Test
    void reportsObjectLevelErrorsWithIndicesAndRecordsTheOthers() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode attributes = body.putArray("attributes");
        attributes.addObject().put("external_id", "ok0");                                  // 0 ok
        attributes.addObject().put("first_name", "NoId");                                 // 1 no identifier
        attributes.addObject().put("external_id", "x").put("braze_id", "y");             // 2 two identifiers
        attributes.addObject().put("email", "e@example.com").put("phone", "+1555");      // 3 ok: email + phone
        attributes.addObject().put("external_id", "  ");                                  // 4 blank
        attributes.addObject().putObject("user_alias").put("alias_name", "n");           // 5 no alias_label
        attributes.addObject().put("external_id", 4.2);                                   // 6 not a string
        attributes.addObject().put("external_id", "x").put("_update_existing_only", "y"); // 7 not a boolean
        attributes.addObject().put("external_id", "x").put("email", "not-an-email");      // 8 invalid email
        attributes.addObject().put("external_id", 42).put("email", "a@b.example");        // 9 ok: integer id, email
        attributes.add("not an object");                                                  // 10
        attributes.addObject().put("braze_id", "b").put("phone", "+1555");                // 11 ok: phone as a field
        ArrayNode events = body.putArray("events");
        events.addObject().put("external_id", "e0").put("name", "login").put("time", "2024-05-01T10:00:00.123Z");
        events.addObject().put("external_id", "e1").put("time", "2024-05-01T10:00:00Z");  // 1 no name
        events.addObject().put("external_id", "e2").put("name", "login").put("time", "yesterday"); // 2 bad time
        ArrayNode purchases = body.putArray("purchases");
        purchases.addObject().put("external_id", "p0").put("product_id", "sku").put("currency", "USD").put("price", 1)
                .put("time", "2024-05-01T10:00:00Z");
        purchases.addObject().put("external_id", "p1").put("product_id", "sku").put("currency", "EURO").put("price", 1)
                .put("time", "2024-05-01T10:00:00Z");                                      // 1 bad currency
        purchases.addObject().put("external_id", "p2").put("product_id", "sku").put("currency", "USD")
                .put("price", "1.00").put("time", "2024-05-01T10:00:00Z");                 // 2 price not a number

        HttpResponse<String> response = post(TRACK, body.toString());

        assertEquals(201, response.statusCode());
        JsonNode answer = json(response);
        assertEquals(4, answer.get("attributes_processed").asInt());
        assertEquals(1, answer.get("events_processed").asInt());
        assertEquals(1, answer.get("purchases_processed").asInt());
        assertEquals(Map.of("attributes", List.of(1, 2, 4, 5, 6, 7, 8, 10), "events", List.of(1, 2),
                "purchases", List.of(1, 2)), errorIndices(answer));
        for (JsonNode error : answer.get("errors")) {
            assertFalse(error.get("type").asText().isBlank());
        }
        assertEquals(List.of(attributes.get(0), attributes.get(3), attributes.get(9), attributes.get(11)),
                braze.attributes());
        assertEquals(FakeBrazeTrackChecks.INVALID_EMAIL, answer.get("errors").get(6).get("type").asText());
        assertEquals(List.of(events.get(0)), braze.events());
        assertEquals(List.of(purchases.get(0)), braze.purchases());
    }

    @Test
    void rejectObjectsRefusesMatchingObjectsUntilReset() throws Exception {
        braze.rejectObjects(o -> o.path("external_id").asText().equals("u1"), "Blocked by test");
        HttpResponse<String> response = post(TRACK, attributes("u", 3));
        assertEquals(201, response.statusCode());
        JsonNode error = json(response).get("errors").get(0);
        assertEquals("Blocked by test", error.get("type").asText());
        assertEquals("attributes", error.get("input_array").asText());
        assertEquals(1, error.get("index").asInt());
        assertEquals(List.of("u0", "u2"), externalIds(braze.attributes()));

        braze.reset();
        assertEquals(201, post(TRACK, attributes("u", 3)).statusCode());
        assertEquals(List.of("u0", "u1", "u2"), externalIds(braze.attributes()));
    }

    @Test
    void aFailingRejectRuleIsAnswered500AndRecorded() throws Exception {
        braze.rejectObjects(o -> {
            throw new IllegalStateException("test rule failed");
        }, "never");
        assertEquals(500, post(TRACK, attributes("u", 1)).statusCode());
        assertEquals(List.of(500), statuses(braze.requests()));
        assertTrue(braze.attributes().isEmpty());
    }

    // ---- rate limiting ------------------------------------------------------------------------

    @Test
    void rateLimitAnswers429WithHeadersAndRecoversAfterTheWallClockWindow() throws Exception {
        try (FakeBraze limited = FakeBraze.builder().apiKey("k-1").trackRateLimit(3, Duration.ofSeconds(1)).start()) {
            long windowStart = sleepUntilAWindowStarts(1000);
            HttpResponse<String> first = send(limited, "POST", TRACK, attributes("a", 1), "application/json");
            assertEquals(201, first.statusCode());
            assertEquals("3", first.headers().firstValue("X-RateLimit-Limit").orElseThrow());
            assertEquals("2", first.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            long reset = Long.parseLong(first.headers().firstValue("X-RateLimit-Reset").orElseThrow());
            // the window ends on the next whole second, not one second after the first request
            assertEquals(windowStart / 1000 + 1, reset);

            HttpResponse<String> badRequest = send(limited, "POST", TRACK, attributes("b", 1), "text/plain");
            assertEquals(400, badRequest.statusCode()); // 4xx answers consume the budget too
            assertEquals("1", badRequest.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            HttpResponse<String> third = send(limited, "POST", TRACK, attributes("c", 1), "application/json");
            assertEquals("0", third.headers().firstValue("X-RateLimit-Remaining").orElseThrow());

            HttpResponse<String> limitedResponse = send(limited, "POST", TRACK, attributes("d", 1), "application/json");
            assertEquals(429, limitedResponse.statusCode());
            assertEquals("Rate Limited", json(limitedResponse).get("message").asText());
            assertEquals("0", limitedResponse.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            assertEquals(Long.toString(reset), limitedResponse.headers().firstValue("X-RateLimit-Reset").orElseThrow());
            assertEquals(429, send(limited, "POST", TRACK, attributes("e", 1), "application/json").statusCode());
            assertEquals(2, limited.rateLimitedCount());
            assertEquals(List.of("a0", "c0"), externalIds(limited.attributes()));

            Thread.sleep(Math.max(0, reset * 1000 + 20 - System.currentTimeMillis()));
            HttpResponse<String> recovered = send(limited, "POST", TRACK, attributes("f", 1), "application/json");
            assertEquals(201, recovered.statusCode());
            assertEquals("2", recovered.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            assertEquals(List.of("a0", "c0", "f0"), externalIds(limited.attributes()));

            limited.trackRateLimit(0, Duration.ZERO);
            HttpResponse<String> unlimited = send(limited, "POST", TRACK, attributes("g", 1), "application/json");
            assertEquals(201, unlimited.statusCode());
            // without a limit set, the headers still come, with Braze's default: 3,000 per 3 seconds
            assertEquals("3000", unlimited.headers().firstValue("X-RateLimit-Limit").orElseThrow());
            assertEquals(0, Long.parseLong(unlimited.headers().firstValue("X-RateLimit-Reset").orElseThrow()) % 3);
        }
    }

    @Test
    void everyAnswerCarriesRateLimitHeadersOfAlignedWindows() throws Exception {
        braze.createCatalog("c");
        List<HttpResponse<String>> answers = List.of(post(TRACK, attributes("u", 1)),
                post(TRACK, "{}"), post("/users/delete", "{\"braze_ids\": [\"b\"]}"),
                send("PUT", "/catalogs/c/items", "{\"items\": [{\"id\": \"x\"}]}"),
                send("PUT", "/catalogs/missing/items", "{\"items\": [{\"id\": \"x\"}]}"),
                post("/nowhere", "{}"));
        List<Integer> windowSeconds = List.of(3, 3, 60, 60, 60, 3600);
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> answer = answers.get(i);
            long reset = Long.parseLong(answer.headers().firstValue("X-RateLimit-Reset").orElseThrow());
            assertEquals(0, reset % windowSeconds.get(i), "answer " + i + " reset " + reset);
            assertTrue(reset * 1000 > System.currentTimeMillis() - 1000, "answer " + i);
            assertTrue(Long.parseLong(answer.headers().firstValue("X-RateLimit-Remaining").orElseThrow()) >= 0);
            assertTrue(Long.parseLong(answer.headers().firstValue("X-RateLimit-Limit").orElseThrow()) > 0);
        }
    }

    @Test
    void rateLimitCanBeEnabledAtRuntimeAndChecksAuthFirst() throws Exception {
        braze.trackRateLimit(1, Duration.ofHours(1));
        HttpResponse<String> unauthorized = send("POST", TRACK, attributes("u", 1), "Bearer nope", "application/json");
        assertEquals(401, unauthorized.statusCode());
        assertEquals("", unauthorized.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
        assertEquals(201, post(TRACK, attributes("u", 1)).statusCode());
        HttpResponse<String> refused = post(TRACK, attributes("v", 1));
        assertEquals(429, refused.statusCode());
        assertEquals(0, Long.parseLong(refused.headers().firstValue("X-RateLimit-Reset").orElseThrow()) % 3600);
        assertEquals(1, braze.rateLimitedCount());
        // other endpoints have no limit
        assertEquals(201, post("/users/delete", "{\"external_ids\": [\"x\"]}").statusCode());
        assertThrows(IllegalArgumentException.class, () -> braze.trackRateLimit(-1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> braze.trackRateLimit(5, Duration.ZERO));
    }

    /** Sleeps until just after a wall-clock window of {@code windowMillis} starts; returns its start. */
    static long sleepUntilAWindowStarts(long windowMillis) throws InterruptedException {
        long now = System.currentTimeMillis();
        long next = (now / windowMillis + 1) * windowMillis;
        Thread.sleep(next + 10 - now);
        return next;
    }

    // ---- fault injection ----------------------------------------------------------------------

    @Test
    void failNextAnswersTheStatusAndRecordsNothing() throws Exception {
        braze.failNext(2, 503);
        HttpResponse<String> failed = post(TRACK, attributes("a", 1));
        assertEquals(503, failed.statusCode());
        assertTrue(json(failed).get("message").isTextual());
        assertEquals(503, post(TRACK, attributes("b", 1)).statusCode());
        assertEquals(201, post(TRACK, attributes("c", 1)).statusCode());
        assertEquals(List.of("c0"), externalIds(braze.attributes()));
        assertEquals(List.of(503, 503, 201), statuses(braze.requests()));

        braze.failNext("/users/delete", 1, 500);
        assertEquals(500, post("/users/delete", "{\"external_ids\": [\"x\"]}").statusCode());
        assertEquals(201, post("/users/delete", "{\"external_ids\": [\"x\"]}").statusCode());
        assertEquals(1, braze.deletedUsers().size());
        assertThrows(IllegalArgumentException.class, () -> braze.failNext(1, 200));
    }

    @Test
    void dropNextClosesTheConnectionWithoutAnswer() throws Exception {
        braze.dropNext(1);
        assertThrows(IOException.class, () -> post(TRACK, attributes("a", 1)));
        assertEquals(201, post(TRACK, attributes("b", 1)).statusCode());
        assertEquals(List.of("b0"), externalIds(braze.attributes()));
        List<RecordedBrazeRequest> requests = braze.requests();
        assertTrue(requests.get(0).dropped());
        assertEquals(RecordedBrazeRequest.NO_RESPONSE, requests.get(0).status());
        assertEquals(201, requests.get(1).status());
    }

    @Test
    void delayNextDelaysOnlyThoseRequests() throws Exception {
        braze.delayNext(1, Duration.ofMillis(500));
        long start = System.nanoTime();
        assertEquals(201, post(TRACK, attributes("a", 1)).statusCode());
        assertTrue(elapsedMillis(start) >= 500);
        start = System.nanoTime();
        assertEquals(201, post(TRACK, attributes("b", 1)).statusCode());
        assertTrue(elapsedMillis(start) < 400, "not delayed");
        assertEquals(List.of("a0", "b0"), externalIds(braze.attributes()));
    }

    @Test
    void aDelayedRequestDoesNotBlockOthers() throws Exception {
        braze.delayNext("/users/delete", 1, Duration.ofMillis(1500));
        CompletableFuture<HttpResponse<String>> slow =
                HTTP.sendAsync(request("POST", "/users/delete", "{\"braze_ids\": [\"b\"]}",
                        "Bearer " + braze.apiKey(), "application/json"), HttpResponse.BodyHandlers.ofString());
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertEquals(201, post(TRACK, attributes("f" + i, 1)).statusCode());
        }
        assertTrue(elapsedMillis(start) < 1200, "fast requests waited for the slow one");
        assertFalse(slow.isDone());
        assertTrue(braze.deletedUsers().isEmpty()); // processing happens after the delay
        assertEquals(201, slow.get(5, TimeUnit.SECONDS).statusCode());
        assertEquals(1, braze.deletedUsers().size());
    }

    @Test
    void latencyCanBeChangedAtRuntime() throws Exception {
        braze.latency(Duration.ofMillis(400));
        long start = System.nanoTime();
        assertEquals(201, post(TRACK, attributes("a", 1)).statusCode());
        assertTrue(elapsedMillis(start) >= 400);
        braze.latency(Duration.ZERO);
        start = System.nanoTime();
        assertEquals(201, post(TRACK, attributes("b", 1)).statusCode());
        assertTrue(elapsedMillis(start) < 350);
    }

    // ---- concurrency, reset, close ------------------------------------------------------------

    @Test
    void concurrentRequestsAreAllRecordedExactlyOnce() throws Exception {
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String prefix = "t" + t + "-";
                results.add(pool.submit(() -> {
                    int created = 0;
                    for (int i = 0; i < perThread; i++) {
                        String body = "{\"attributes\": [{\"external_id\": \"" + prefix + i + "\"}]}";
                        created += post(TRACK, body).statusCode() == 201 ? 1 : 0;
                    }
                    return created;
                }));
            }
            int created = 0;
            for (Future<Integer> result : results) {
                created += result.get(60, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, created);
        } finally {
            pool.shutdownNow();
        }
        List<String> ids = externalIds(braze.attributes());
        assertEquals(threads * perThread, ids.size());
        assertEquals(threads * perThread, new HashSet<>(ids).size());
        assertEquals(threads * perThread, braze.requestCount(TRACK));
        assertEquals(threads * perThread, braze.requests().size());
    }

    @Test
    void resetClearsRecordsFaultsAndCountersButKeepsConfig() throws Exception {
        braze.createCatalog("c");
        assertEquals(202, send("POST", "/catalogs/c/items", "{\"items\": [{\"id\": \"x\"}]}").statusCode());
        assertEquals(201, post(TRACK, attributes("u", 1)).statusCode());
        braze.failNext(1, 500);
        braze.reset();
        assertTrue(braze.attributes().isEmpty());
        assertTrue(braze.requests().isEmpty());
        assertEquals(0, braze.requestCount(TRACK));
        assertTrue(braze.catalogItems("c").isEmpty());
        assertEquals(201, post(TRACK, attributes("u", 1)).statusCode()); // the fault is gone
        assertEquals(202, send("POST", "/catalogs/c/items", "{\"items\": [{\"id\": \"x\"}]}").statusCode());
    }

    @Test
    void closeStopsPromptlyEvenWithADelayedRequestInFlight() throws Exception {
        FakeBraze fake = FakeBraze.start();
        fake.delayNext(1, Duration.ofSeconds(30));
        CompletableFuture<HttpResponse<String>> pending = HTTP.sendAsync(
                request(fake.url(), "POST", TRACK, attributes("u", 1), "Bearer " + fake.apiKey(), "application/json"),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);
        long start = System.nanoTime();
        fake.close();
        fake.close();
        assertTrue(elapsedMillis(start) < 3000, "close took " + elapsedMillis(start) + " ms");
        assertThrows(Exception.class, () -> pending.get(5, TimeUnit.SECONDS));
        assertThrows(IOException.class, () -> send(fake, "POST", TRACK, attributes("v", 1), "application/json"));
    }
}
