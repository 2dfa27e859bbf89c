package io.cdisync.braze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Braze's batching limits are enforced by the request records, before anything is sent. */
class RequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<ObjectNode> objects(int n) {
        return IntStream.range(0, n).mapToObj(i -> JSON.createObjectNode().put("external_id", "u" + i).put("id", "i" + i)).toList();
    }

    @Test
    void trackAcceptsUpTo75ObjectsPerArray() {
        TrackRequest full = new TrackRequest(objects(75), objects(75), objects(75));
        assertEquals(225, full.size());
        for (int array = 0; array < 3; array++) {
            List<List<ObjectNode>> arrays = new ArrayList<>(List.of(objects(1), objects(1), objects(1)));
            arrays.set(array, objects(76));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TrackRequest(arrays.get(0), arrays.get(1), arrays.get(2)));
            assertTrue(e.getMessage().contains("76") && e.getMessage().contains("75"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> TrackRequest.attributes(objects(76)));
        assertThrows(IllegalArgumentException.class, () -> new TrackRequest(null, List.of(), null));
    }

    @Test
    void trackCopiesItsLists() {
        List<ObjectNode> list = new ArrayList<>(objects(2));
        TrackRequest request = TrackRequest.attributes(list);
        list.add(JSON.createObjectNode());
        assertEquals(2, request.attributes().size());
        assertTrue(request.events().isEmpty());
    }

    @Test
    void deleteAcceptsUpTo50IdentifiersInAll() {
        List<String> ids = IntStream.range(0, 50).mapToObj(i -> "e" + i).toList();
        assertEquals(50, new DeleteRequest(ids, null, null).externalIds().size());
        assertThrows(IllegalArgumentException.class,
                () -> new DeleteRequest(ids, List.of(new DeleteRequest.UserAlias("a", "b")), null));
        assertThrows(IllegalArgumentException.class, () -> new DeleteRequest(List.of(), List.of(), List.of()));
        assertThrows(NullPointerException.class, () -> new DeleteRequest.UserAlias("a", null));
    }

    @Test
    void catalogAcceptsUpTo50ItemsAndAPlainName() {
        assertEquals(50, new CatalogRequest("c", CatalogRequest.Operation.UPSERT, objects(50)).items().size());
        assertThrows(IllegalArgumentException.class, () -> new CatalogRequest("c", CatalogRequest.Operation.UPSERT, objects(51)));
        assertThrows(IllegalArgumentException.class, () -> new CatalogRequest("c", CatalogRequest.Operation.DELETE, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new CatalogRequest(" ", CatalogRequest.Operation.UPSERT, objects(1)));
        assertThrows(IllegalArgumentException.class, () -> new CatalogRequest("..", CatalogRequest.Operation.UPSERT, objects(1)));
    }

    @Test
    void rateLimitAndSecretValidateAndNeverPrintTheValue() {
        assertEquals(1000.0, BrazeLimits.TRACK_RATE_LIMIT.perSecond(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> RateLimit.of(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> RateLimit.of(1, Duration.ZERO));
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> Secret.of(" "));
        assertFalse(blank.getMessage().contains(" \""));
        Secret secret = Secret.of("s3cr3t-value");
        assertEquals("****", secret.toString());
        assertEquals("s3cr3t-value", secret.reveal());
        assertEquals("a **** b", secret.redact("a s3cr3t-value b"));
        assertEquals(Secret.of("s3cr3t-value"), secret);
        assertNotEquals(Secret.of("other"), secret);
        record Holder(Secret key) {
        }
        assertFalse(new Holder(secret).toString().contains("s3cr3t"));
    }
}
