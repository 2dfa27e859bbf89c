package io.cdisync.braze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract with Braze: every recorded answer in {@code src/test/resources/braze-recordings} (Braze's real
 * answers, its docs' examples, other integrations' mocks; README there) is served by a MockWebServer for its
 * request, and how the client reads it is asserted: outcome per object, retryable or not, rate-limit headers,
 * the echoed key redacted.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BrazeRecordingsReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INVALID_FIELDS = "invalid-fields: Some of the fields given do not exist in the catalog";
    private static final String NO_IDENTIFIER = "'external_id', 'braze_id', 'user_alias', 'email' or 'phone' is required";
    private static final String TRACK_400 = "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";

    /** How the client reads one replayed answer. */
    record Outcome(BrazeResponse response, BrazeException error, Optional<RateLimitStatus> rateLimit,
            RecordedRequest request) {
        BrazeResponse processed(int status) {
            assertNotNull(response, () -> "expected a response, got " + error);
            assertEquals(status, response.statusCode());
            assertFalse(response.nothingWritten(), "a processed answer: the objects not named were written");
            return response;
        }

        BrazeResponse nothingWritten() {
            assertNotNull(response, () -> "expected a nothing-written response, got " + error);
            assertEquals(400, response.statusCode());
            assertTrue(response.nothingWritten(), "Braze refused the whole request");
            return response;
        }

        <T extends BrazeException> T failed(Class<T> type, int status, boolean retryable) {
            T e = assertInstanceOf(type, error, () -> "expected " + type.getSimpleName() + ", got " + response);
            assertEquals(status, e.statusCode());
            assertEquals(retryable, e.retryable());
            return e;
        }
    }

    /** "array[index] id: message" for each error, to compare at a glance. */
    private static List<String> errors(BrazeResponse response) {
        return response.errors().stream().map(e -> e.inputArray() + "[" + e.index() + "] " + e.id() + " " + e.message())
                .toList();
    }

    /** What each recording must give; a file missing here fails {@link #everyRecordingIsReplayed()}. */
    private static final Map<String, Consumer<Outcome>> EXPECTED = Map.ofEntries(
            Map.entry("braze_docs_catalog_items_400_invalid_fields.json", o -> assertEquals(
                    List.of("items[0] restaurant1 " + INVALID_FIELDS), errors(o.nothingWritten()))),
            Map.entry("braze_docs_catalog_items_400_items_missing_ids.json", o -> assertTrue(o.failed(
                    BrazeException.Rejected.class, 400, false).getMessage()
                    .contains("items-missing-ids: There are 1 item(s) that do not have ids"), o.error().getMessage())),
            Map.entry("braze_docs_catalog_not_found.json", o -> {
                String message = o.failed(BrazeException.Rejected.class, o.error().statusCode(), false).getMessage();
                assertTrue(message.contains("no catalog 'restaurants'") && message.contains("catalog-not-found"), message);
            }),
            Map.entry("braze_docs_users_delete.json", o -> assertEquals(List.of(), errors(o.processed(201)))),
            Map.entry("braze_ruby_catalog_create_400_error_shape.json", o -> assertTrue(o.failed(
                    BrazeException.Rejected.class, 400, false).getMessage()
                    .contains("catalog-name-already-exists: A catalog with that name already exists"), o.error().getMessage())),
            Map.entry("braze_ruby_catalog_items_delete_202.json", o -> assertEquals(List.of(), errors(o.processed(202)))),
            Map.entry("braze_ruby_catalog_items_patch_202.json", o -> assertEquals(List.of(), errors(o.processed(202)))),
            Map.entry("braze_ruby_catalog_items_post_202.json", o -> assertEquals(List.of(), errors(o.processed(202)))),
            Map.entry("braze_ruby_catalog_items_post_202_b.json", o -> assertEquals(List.of(), errors(o.processed(202)))),
            Map.entry("braze_ruby_delete_201_success.json", o -> assertEquals("success", o.processed(201).message())),
            Map.entry("braze_ruby_delete_401_invalid_key.json", o -> assertTrue(o.failed(
                    BrazeException.Unauthorized.class, 401, false).getMessage().contains("Invalid API key: ****"))),
            Map.entry("braze_ruby_track_201_success.json", o -> assertEquals(List.of(), errors(o.processed(201)))),
            Map.entry("braze_ruby_track_401_invalid_key.json", o -> assertTrue(o.failed(
                    BrazeException.Unauthorized.class, 401, false).getMessage().contains("Invalid API key: ****"))),
            Map.entry("go_braze_track_minor_error_201.json", o -> assertEquals(
                    List.of("attributes[1] null 'external_id' or 'braze_id' or 'user_alias' is required"),
                    errors(o.processed(201)))),
            Map.entry("rudderstack_track_401_undefined_key.json", o -> assertTrue(o.failed(
                    BrazeException.Unauthorized.class, 401, false).getMessage().contains("Invalid API key: ****"))),
            Map.entry("rudderstack_track_all_invalid_400.json", o -> {
                BrazeResponse r = o.nothingWritten();
                assertEquals(TRACK_400, r.message());
                assertEquals(List.of("events[0] null " + NO_IDENTIFIER, "events[1] null " + NO_IDENTIFIER,
                        "purchases[0] null 'quantity' is not valid"), errors(r));
            }),
            Map.entry("rudderstack_track_invalid_email_fatal.json", o -> {
                String invalid = " null The value provided for the 'email' field is not a valid email.";
                // Only 0 and 1 are named: attributes[2] is not at fault, but was not written either.
                assertEquals(List.of("attributes[0]" + invalid, "attributes[1]" + invalid), errors(o.nothingWritten()));
            }),
            Map.entry("rudderstack_track_partial_success.json", o -> assertEquals(
                    List.of("events[1] null " + NO_IDENTIFIER, "purchases[0] null 'quantity' is not valid"),
                    errors(o.processed(201)))),
            Map.entry("segment_catalog_item_delete_not_found_400.json", o -> assertEquals(
                    List.of("items[0] car001 item-not-found: Item not found"), errors(o.nothingWritten()))),
            Map.entry("segment_catalog_items_400_whole_batch.json", o -> {
                BrazeResponse r = o.nothingWritten();
                // car001 is not named: not written, to be sent again.
                assertEquals(List.of("items[1] car002 " + INVALID_FIELDS), errors(r));
            }));

    private static Path recordings() throws URISyntaxException {
        return Path.of(BrazeRecordingsReplayTest.class.getResource("/braze-recordings/README.md").toURI()).getParent();
    }

    /** Every .json recording, once per status it is documented with. */
    static Stream<Arguments> replays() throws Exception {
        List<Arguments> replays = new ArrayList<>();
        try (Stream<Path> files = Files.list(recordings())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode response = JSON.readTree(file.toFile()).path("response");
                if (response.path("status_alternatives").isArray()) {
                    response.path("status_alternatives").forEach(s -> replays.add(Arguments.of(file.getFileName().toString(), s.asInt())));
                } else {
                    // The docs' delete example has no status; the recording of real Braze shows 201.
                    replays.add(Arguments.of(file.getFileName().toString(), response.path("status").asInt(201)));
                }
            }
        }
        return replays.stream();
    }

    @Test
    void everyRecordingIsReplayed() throws Exception {
        TreeSet<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(recordings())) {
            list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(files::add);
        }
        assertEquals(files, new TreeSet<>(EXPECTED.keySet()), "every recording has its expected reading, and only those");
        assertEquals(files.size(), replays().map(a -> a.get()[0]).distinct().count());
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("replays")
    void replay(String file, int status) throws Exception {
        JsonNode recording = JSON.readTree(recordings().resolve(file).toFile());
        JsonNode request = recording.path("request");
        JsonNode response = recording.path("response");
        String key = request.path("headers").path("Authorization").asText("Bearer <BRAZE_REST_API_KEY>").substring(7);
        Outcome outcome;
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(answer(response, status));
            server.start();
            try (BrazeClient client = BrazeClient.builder().endpoint(server.url("/").toString()).apiKey(Secret.of(key))
                    .maxAttempts(1).clock(clockAt(response)).build()) {
                String path = request.path("path").asText();
                CompletableFuture<BrazeResponse> future = send(client, request);
                BrazeResponse answered = null;
                BrazeException error = null;
                try {
                    answered = future.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    error = assertInstanceOf(BrazeException.class, e.getCause());
                }
                Optional<RateLimitStatus> rateLimit = path.startsWith("/users/track") ? client.trackRateLimitStatus()
                        : path.startsWith("/users/delete") ? client.deleteRateLimitStatus() : client.catalogRateLimitStatus();
                outcome = new Outcome(answered, error, rateLimit, server.takeRequest());
            }
        }
        assertEquals("Bearer " + key, outcome.request().getHeaders().get("Authorization"));
        assertRateLimitHeadersRead(response.path("headers"), outcome.rateLimit());
        assertKeyRedacted(key, outcome);
        EXPECTED.get(file).accept(outcome);
    }

    /** The recorded status, headers (but the framing ones) and body. */
    private static MockResponse answer(JsonNode response, int status) {
        MockResponse.Builder answer = new MockResponse.Builder().code(status);
        for (Iterator<Map.Entry<String, JsonNode>> it = response.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            if (!header.getKey().equals("Content-Length") && !header.getKey().equals("Transfer-Encoding")) {
                answer.addHeader(header.getKey(), header.getValue().asText());
            }
        }
        String body = response.has("body_raw") ? response.get("body_raw").asText()
                : response.has("body") ? response.get("body").toString()
                : "{\"deleted\":" + 4 + "}"; // body_template of the docs' delete example
        return answer.body(body).build();
    }

    /** The client's clock at the recording's Date, so that a recorded X-RateLimit-Reset is still ahead. */
    private static Clock clockAt(JsonNode response) {
        String date = response.path("headers").path("Date").asText("");
        Instant at = date.isEmpty() ? Instant.now()
                : ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Clock.fixed(at, ZoneOffset.UTC);
    }

    /** The recording's request, through the client's API (POST/PATCH item writes go as its PUT upsert). */
    private static CompletableFuture<BrazeResponse> send(BrazeClient client, JsonNode request) {
        String path = request.path("path").asText();
        JsonNode body = request.path("body");
        if (path.equals("/users/track")) {
            return client.track(new TrackRequest(objects(body, request, "attributes"), objects(body, request, "events"),
                    objects(body, request, "purchases")));
        }
        if (path.equals("/users/delete")) {
            List<String> externalIds = new ArrayList<>();
            body.path("external_ids").forEach(id -> externalIds.add(id.asText()));
            List<String> brazeIds = new ArrayList<>();
            body.path("braze_ids").forEach(id -> brazeIds.add(id.asText()));
            List<DeleteRequest.UserAlias> aliases = new ArrayList<>();
            body.path("user_aliases").forEach(a -> aliases.add(new DeleteRequest.UserAlias(a.path("alias_name").asText(),
                    a.path("alias_label").asText())));
            return client.deleteUsers(new DeleteRequest(externalIds, aliases, brazeIds));
        }
        // Catalog items (and POST /catalogs, which this client does not send: its error shape is read the same way).
        String[] segments = path.split("/");
        String catalog = segments.length > 2 ? segments[2] : "restaurants";
        List<ObjectNode> items = new ArrayList<>();
        body.path("items").forEach(item -> items.add((ObjectNode) item));
        if (segments.length > 4) {
            items.add(JSON.createObjectNode().put("id", segments[4])); // DELETE /catalogs/{name}/items/{id}
        }
        if (items.isEmpty()) {
            items.add(JSON.createObjectNode().put("id", "restaurant1"));
        }
        boolean delete = request.path("method").asText().equals("DELETE");
        return client.catalogItems(new CatalogRequest(catalog, delete ? CatalogRequest.Operation.DELETE
                : CatalogRequest.Operation.UPSERT, items));
    }

    /** The array's objects, or as many as {@code body_shape} says (or one attribute when nothing is said). */
    private static List<ObjectNode> objects(JsonNode body, JsonNode request, String array) {
        List<ObjectNode> objects = new ArrayList<>();
        body.path(array).forEach(o -> objects.add((ObjectNode) o));
        int shaped = request.path("body_shape").path(array).asInt(0);
        for (int i = 0; i < shaped; i++) {
            objects.add(JSON.createObjectNode().put("external_id", "u" + i).put("name", "e" + i));
        }
        if (objects.isEmpty() && array.equals("attributes") && !body.isObject() && !request.has("body_shape")) {
            objects.add(JSON.createObjectNode().put("external_id", "u1"));
        }
        return objects;
    }

    /** Recorded X-RateLimit-* values are what the client reports; empty or absent ones report nothing. */
    private static void assertRateLimitHeadersRead(JsonNode headers, Optional<RateLimitStatus> observed) {
        String limit = headers.path("X-Ratelimit-Limit").asText("");
        if (limit.isEmpty()) {
            assertEquals(Optional.empty(), observed, "no (or empty) X-RateLimit-* headers: nothing observed");
            return;
        }
        RateLimitStatus status = observed.orElseThrow();
        assertEquals(Long.parseLong(limit), status.limit());
        assertEquals(Long.parseLong(headers.path("X-Ratelimit-Remaining").asText()), status.remaining());
        assertEquals(Instant.ofEpochSecond(Long.parseLong(headers.path("X-Ratelimit-Reset").asText())), status.reset());
        assertTrue(status.reset().isAfter(status.observedAt()), "reset is the end of the current window");
        long secondsAhead = status.reset().getEpochSecond() - status.observedAt().getEpochSecond();
        assertTrue(status.reset().getEpochSecond() % 60 == 0 && secondsAhead <= 3_600,
                "reset on a whole minute, at most an hour ahead: " + status);
    }

    private static void assertKeyRedacted(String key, Outcome outcome) {
        List<String> texts = new ArrayList<>();
        if (outcome.error() != null) {
            texts.add(outcome.error().getMessage());
            if (outcome.error() instanceof BrazeException.Rejected rejected) {
                texts.add(rejected.body());
            }
        } else {
            texts.add(outcome.response().message());
            outcome.response().errors().forEach(e -> texts.add(e.message()));
        }
        for (String text : texts) {
            assertFalse(text.contains(key), "the key is redacted from: " + text);
        }
    }
}
