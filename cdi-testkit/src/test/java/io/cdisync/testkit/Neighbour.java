package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Another user of the workspace's API key, for tests that need Braze's 429s. The client paces itself by Braze's
 * {@code X-RateLimit-*} headers and may finish a sync without ever being refused, so a test that wants 429s has
 * someone else use up the window first. Braze's windows sit on the wall clock; the neighbour waits for a window to
 * open and uses it up at once, so the sync that starts right after meets an exhausted budget for most of a window
 * (a deterministic setup, not a hope).
 */
final class Neighbour {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Neighbour() {
    }

    /**
     * Waits for the next {@code window}-long wall-clock window of {@code /users/track} to open, then sends empty
     * requests (refused with 400, so they deliver nothing) until Braze answers 429.
     *
     * @return the requests the neighbour sent, its one 429 included
     */
    static int useUpAFreshWindow(FakeBraze braze, Duration window) throws Exception {
        long windowMillis = window.toMillis();
        long now = System.currentTimeMillis();
        Thread.sleep(windowMillis - now % windowMillis + 20);
        HttpRequest request = HttpRequest.newBuilder(URI.create(braze.url() + "/users/track"))
                .header("Authorization", "Bearer " + braze.apiKey()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        for (int sent = 1; sent <= 10_000; sent++) {
            int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            assertThat(status).as("the neighbour's request %d", sent).isIn(400, 429);
            if (status == 429) {
                return sent;
            }
        }
        throw new AssertionError("FakeBraze never rate-limited 10,000 requests");
    }
}
