package io.cdisync.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Braze's recorded answers are the contract of {@link FakeBraze}: each recording's request is sent to a
 * fake and its answer must have the recorded status and body shape (the same keys, the same JSON types,
 * recursively), the recorded Braze error codes, and the {@code X-RateLimit-*} headers the recording has
 * (empty where they are empty). Recordings whose request body is only described ({@code body_shape}) or
 * whose value Braze judged by rules the fake does not model get a request built here to the same effect;
 * each adaptation is named below. Where the fake and a recording disagree, the recording wins.
 */
class FakeBrazeReplayTest extends FakeBrazeTestSupport {
    /** surefire runs in the module directory; the client module holds the copy of the recordings. */
    static final Path RECORDINGS = Path.of("../cdi-braze-client/src/test/resources/braze-recordings");

    /** Recordings of requests the fake cannot receive, and why. */
    private static final Map<String, String> NOT_REPLAYED = Map.of(
            "braze_ruby_catalog_create_400_error_shape.json", "POST /catalogs: catalog management, not served",
            "segment_catalog_item_delete_not_found_400.json", "synchronous /catalogs/{name}/items/{id}: not served");

    /** The fields of Braze's 'restaurants' catalog, as created in braze_ruby_catalog_create_400_error_shape.json. */
    private static final List<String> RESTAURANT_FIELDS =
            List.of("id", "Name", "City", "Cuisine", "Rating", "Loyalty_Program", "Location", "Created_At");

    @Test
    void everyRecordingIsReplayedOrSaysWhyNot() throws IOException {
        Set<String> files = recordingFiles();
        assertTrue(files.size() >= 20, "recordings found in " + RECORDINGS.toAbsolutePath() + ": " + files);
        assertTrue(files.containsAll(NOT_REPLAYED.keySet()));
    }

    @TestFactory
    Stream<DynamicTest> eachRecordedRequestGetsTheRecordedAnswer() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : recordingFiles()) {
            if (!NOT_REPLAYED.containsKey(file)) {
                tests.add(DynamicTest.dynamicTest(file, () -> replay(file)));
            }
        }
        return tests.stream();
    }

    private void replay(String file) throws Exception {
        JsonNode recording = JSON.readTree(RECORDINGS.resolve(file).toFile());
        JsonNode request = recording.get("request");
        JsonNode response = recording.get("response");
        String path = request.get("path").asText();
        String catalog = path.startsWith("/catalogs/") ? path.split("/")[2] : null;
        try (FakeBraze fake = setUp(file, catalog)) {
            String body = body(file, request);
            String authorization = authorization(fake, request);
            HttpResponse<String> answer = HTTP.send(request(fake.url(), request.get("method").asText(), path, body,
                    authorization, "application/json"), HttpResponse.BodyHandlers.ofString());

            int expectedStatus = file.equals("braze_docs_users_delete.json")
                    ? 400 // the docs example mixes identifier kinds, which the same page says Braze refuses
                    : response.get("status").asInt();
            assertEquals(expectedStatus, answer.statusCode(), file + ": " + answer.body());
            JsonNode expected = expectedBody(file, response);
            JsonNode actual = JSON.readTree(answer.body());
            assertSameShape(expected, actual, "$");
            assertEquals(errorCodes(expected), errorCodes(actual), file + ": Braze's error codes");
            if (expected.has("message") && answer.statusCode() == 401) {
                assertEquals(expected.get("message"), actual.get("message"), "401 echoes the key sent");
            }
            JsonNode headers = response.path("headers");
            for (String name : List.of("X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Reset")) {
                if (headers.has(name)) {
                    String value = answer.headers().firstValue(name).orElseThrow(() -> new AssertionError(name));
                    assertEquals(headers.get(name).asText().isEmpty(), value.isEmpty(), file + ": " + name);
                    if (!value.isEmpty()) {
                        Long.parseLong(value);
                    }
                }
            }
            if (file.startsWith("segment_catalog_items_400") || file.contains("catalog_items_400")) {
                assertTrue(fake.catalogItems(catalog).isEmpty(), file + ": a refused request writes nothing");
            }
        }
    }

    /** A fake holding what the recording's account held. */
    private static FakeBraze setUp(String file, String catalog) throws Exception {
        FakeBraze.Builder builder = FakeBraze.builder();
        if (file.equals("braze_docs_catalog_items_400_invalid_fields.json")) {
            // the docs abbreviate the body; a catalog without Loyalty_Program refuses restaurant1 alone
            builder.catalog(catalog, List.of("id", "Name", "City", "Rating"));
        } else if (file.equals("segment_catalog_items_400_whole_batch.json")) {
            builder.catalog(catalog, List.of("id", "name")); // car002's in_stock is not a field
        } else if (catalog != null && !file.equals("braze_docs_catalog_not_found.json")) {
            builder.catalog(catalog, RESTAURANT_FIELDS);
        }
        FakeBraze fake = builder.start();
        if (file.equals("braze_ruby_catalog_items_patch_202.json")) {
            HttpResponse<String> created = send(fake, "PUT", "/catalogs/restaurants/items",
                    "{\"items\": [{\"id\": \"restaurant1\", \"Name\": \"Restaurant1\"}]}", "application/json");
            assertEquals(202, created.statusCode());
        }
        return fake;
    }

    /** The recorded body, or one built to the effect the recording describes. */
    private static String body(String file, JsonNode request) {
        switch (file) {
            case "rudderstack_track_all_invalid_400.json": // events without identifier, a purchase with a bad quantity
                return "{\"events\": [" + event(null) + ", " + event(null) + "], \"purchases\": [" + badPurchase() + "]}";
            case "rudderstack_track_partial_success.json":
                return "{\"events\": [" + event("u1") + ", " + event(null) + "], \"purchases\": [" + badPurchase() + "]}";
            case "go_braze_track_minor_error_201.json":
                return "{\"attributes\": [{\"external_id\": \"u1\", \"a\": 1}, {\"a\": 2}]}";
            case "rudderstack_track_invalid_email_fatal.json":
                // Braze refused '123@a.com' by rules of its own; an address that is plainly invalid does the same here
                return request.get("body").toString().replace("123@a.com", "123@");
            default:
                JsonNode body = request.get("body");
                return body == null ? null : body.toString();
        }
    }

    private static String event(String externalId) {
        return (externalId == null ? "{" : "{\"external_id\": \"" + externalId + "\", ")
                + "\"name\": \"played\", \"time\": \"2024-05-01T10:00:00Z\"}";
    }

    private static String badPurchase() {
        return "{\"external_id\": \"u1\", \"product_id\": \"sku\", \"currency\": \"USD\", \"price\": 1, "
                + "\"quantity\": 0, \"time\": \"2024-05-01T10:00:00Z\"}";
    }

    /** The recorded Authorization header, with the placeholder key replaced by the fake's key. */
    private static String authorization(FakeBraze fake, JsonNode request) {
        String recorded = request.path("headers").path("Authorization").asText("");
        return recorded.isEmpty() || recorded.contains("<BRAZE_REST_API_KEY>") ? "Bearer " + fake.apiKey() : recorded;
    }

    private static JsonNode expectedBody(String file, JsonNode response) throws IOException {
        if (file.equals("braze_docs_users_delete.json")) {
            return JSON.createObjectNode().put("message", "refused");
        }
        if (response.has("body_raw")) {
            return JSON.readTree(response.get("body_raw").asText());
        }
        return response.get("body");
    }

    /** Same keys and JSON types, recursively; each element of an array has the shape of the recorded ones. */
    static void assertSameShape(JsonNode expected, JsonNode actual, String where) {
        assertEquals(expected.getNodeType(), actual.getNodeType(), where + ": " + actual);
        if (expected.isObject()) {
            assertEquals(fieldNames(expected), fieldNames(actual), where + ": keys of " + actual);
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                assertSameShape(field.getValue(), actual.get(field.getKey()), where + "." + field.getKey());
            }
        } else if (expected.isArray() && !expected.isEmpty()) {
            assertTrue(!actual.isEmpty(), where + ": empty, recorded " + expected);
            for (int i = 0; i < actual.size(); i++) {
                assertSameShape(expected.get(Math.min(i, expected.size() - 1)), actual.get(i), where + "[" + i + "]");
            }
        } else if (expected.isArray()) {
            assertTrue(actual.isEmpty(), where + ": recorded empty, got " + actual);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The catalog error codes ({@code errors[].id}) of an answer. */
    private static Set<String> errorCodes(JsonNode body) {
        Set<String> codes = new TreeSet<>();
        JsonNode errors = body.path("errors");
        if (errors instanceof ArrayNode) {
            for (JsonNode error : errors) {
                if (error instanceof ObjectNode && error.has("id")) {
                    codes.add(error.get("id").asText());
                }
            }
        }
        return codes;
    }

    private static Set<String> recordingFiles() throws IOException {
        try (Stream<Path> list = Files.list(RECORDINGS)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
