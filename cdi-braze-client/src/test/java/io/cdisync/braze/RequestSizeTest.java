package io.cdisync.braze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Request size limits: maxRequestBytes (Braze's 413 over 4 MB) and trackObjectsPerRequest (50-object plans). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestSizeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private MockWebServer server;
    private ScriptedDispatcher braze;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        braze = new ScriptedDispatcher();
        server.setDispatcher(braze);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private BrazeClient.Builder client() {
        return BrazeClient.builder().endpoint(server.url("/").toString()).apiKey(Secret.of("size-test-key"))
                .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(20));
    }

    private static List<ObjectNode> users(int n, int padding) {
        String pad = String.join("", Collections.nCopies(padding, "x"));
        return IntStream.range(0, n).mapToObj(i -> JSON.createObjectNode().put("external_id", "u" + i).put("bio", pad)).toList();
    }

    @Test
    void aBodyOverMaxRequestBytesFailsAsTooLargeWithoutBeingSent() throws Exception {
        try (BrazeClient client = client().maxRequestBytes(10_000).build()) {
            assertEquals(10_000, client.maxRequestBytes());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.track(TrackRequest.attributes(users(20, 1_000))).get(5, TimeUnit.SECONDS));
            BrazeException.TooLarge tooLarge = assertInstanceOf(BrazeException.TooLarge.class, e.getCause());
            assertTrue(tooLarge.bytes() > 10_000, "size " + tooLarge.bytes());
            assertFalse(tooLarge.retryable());
            assertTrue(tooLarge.getMessage().contains("maxRequestBytes (10000"), tooLarge.getMessage());
            // Under the cap it goes.
            assertEquals(201, client.track(TrackRequest.attributes(users(5, 1_000))).get(5, TimeUnit.SECONDS).statusCode());
        }
        assertEquals(1, braze.count(), "the large body was never sent");
    }

    @Test
    void theDefaultCapIsBrazes4MB() {
        try (BrazeClient client = client().build()) {
            assertEquals(4_000_000, client.maxRequestBytes());
            assertEquals(75, client.trackObjectsPerRequest());
        }
        assertThrows(IllegalArgumentException.class, () -> client().maxRequestBytes(100));
    }

    @Test
    void a413FailsAsTooLargeAndIsNotRetried() throws Exception {
        braze.then(ScriptedDispatcher.json(413, "{\"message\":\"Request Entity Too Large\"}"));
        try (BrazeClient client = client().build()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.track(TrackRequest.attributes(users(3, 10))).get(5, TimeUnit.SECONDS));
            BrazeException.TooLarge tooLarge = assertInstanceOf(BrazeException.TooLarge.class, e.getCause());
            assertEquals(413, tooLarge.statusCode());
            assertFalse(tooLarge.retryable());
            assertTrue(tooLarge.getMessage().contains("Request Entity Too Large"), tooLarge.getMessage());
            Thread.sleep(100); // a retry would have been sent by now
        }
        assertEquals(1, braze.count(), "413 is not retried");
    }

    @Test
    void aTrackRequestOverTrackObjectsPerRequestIsRefusedNamingTheLimit() throws Exception {
        try (BrazeClient client = client().trackObjectsPerRequest(BrazeLimits.TRACK_OBJECTS_PER_REQUEST_SMALL_PLAN).build()) {
            // 30 attributes + 30 events: each array is within 75, but 60 objects in all is over the plan's 50.
            TrackRequest mixed = new TrackRequest(users(30, 1), users(30, 1), List.of());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.track(mixed));
            assertTrue(e.getMessage().contains("60 objects") && e.getMessage().contains("at most 50"), e.getMessage());
            List<EncodedObject> encoded = users(51, 1).stream().map(EncodedObject::of).toList();
            assertThrows(IllegalArgumentException.class,
                    () -> client.track(new EncodedTrackRequest(EncodedTrackRequest.Array.ATTRIBUTES, encoded)));
            assertEquals(201, client.track(new EncodedTrackRequest(EncodedTrackRequest.Array.ATTRIBUTES,
                    encoded.subList(0, 50))).get(5, TimeUnit.SECONDS).statusCode());
        }
        assertEquals(1, braze.count());
    }
}
