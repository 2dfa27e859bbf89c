package io.cdisync.braze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client against a Braze stand-in whose rate-limit windows end on wall-clock boundaries, as Braze's do
 * ({@code X-RateLimit-Reset} is epoch seconds at a whole second, minute or hour): 300 requests per 3-second window
 * starting at epoch multiples of 3 s, 80 ms to answer. Issue 13 measured 6.5% of requests answered 429 there.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AlignedRateLimitWindowsTest {
    private static final int LIMIT = 300;
    private static final long WINDOW_MILLIS = 3_000;
    private static final long LATENCY_MILLIS = 80;

    /** Counts arrivals per aligned window; over the limit answers 429 with Braze's headers. */
    static final class AlignedWindowBraze extends Dispatcher {
        final Map<Long, Integer> perWindow = new TreeMap<>();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger limited = new AtomicInteger();

        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            long window = System.currentTimeMillis() / WINDOW_MILLIS;
            int count;
            synchronized (perWindow) {
                count = perWindow.merge(window, 1, Integer::sum);
            }
            Thread.sleep(LATENCY_MILLIS);
            answered.incrementAndGet();
            long reset = (window + 1) * WINDOW_MILLIS / 1_000;
            MockResponse.Builder response = new MockResponse.Builder()
                    .setHeader("Content-Type", "application/json")
                    .setHeader("X-RateLimit-Limit", LIMIT)
                    .setHeader("X-RateLimit-Remaining", Math.max(0, LIMIT - count))
                    .setHeader("X-RateLimit-Reset", reset);
            if (count > LIMIT) {
                limited.incrementAndGet();
                return response.code(429).body("{\"message\":\"Too Many Requests\"}").build();
            }
            return response.code(201).body("{\"message\":\"success\",\"attributes_processed\":1}").build();
        }
    }

    @Test
    void underOnePercentOfRequestsAreAnswered429WhenWindowsAreAlignedOnTheWallClock() throws Exception {
        AlignedWindowBraze braze = new AlignedWindowBraze();
        int requests = 1_000; // about 10 s at 300 per 3 s: at least three whole windows
        List<CompletableFuture<BrazeResponse>> futures = new ArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(braze);
            server.start();
            try (BrazeClient client = BrazeClient.builder()
                    .endpoint(server.url("/").toString())
                    .apiKey(Secret.of("aligned-windows-key"))
                    .trackRateLimit(RateLimit.of(LIMIT, Duration.ofMillis(WINDOW_MILLIS)))
                    .callTimeout(Duration.ofSeconds(10))
                    .build()) {
                ObjectMapper json = new ObjectMapper();
                for (int i = 0; i < requests; i++) {
                    futures.add(client.track(TrackRequest.attributes(List.of(json.createObjectNode().put("external_id", "u" + i)))));
                }
                for (CompletableFuture<BrazeResponse> future : futures) {
                    assertEquals(201, future.get(60, TimeUnit.SECONDS).statusCode());
                }
            }
        }
        int answered = braze.answered.get();
        int limited = braze.limited.get();
        String windows;
        synchronized (braze.perWindow) {
            windows = braze.perWindow.toString();
        }
        assertTrue(braze.perWindow.size() >= 4, "spans several windows: " + windows);
        assertTrue(limited * 100 < answered, limited + " of " + answered + " requests answered 429; per window " + windows);
    }
}
