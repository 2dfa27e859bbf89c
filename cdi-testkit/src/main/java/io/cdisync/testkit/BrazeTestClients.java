package io.cdisync.testkit;

import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import java.time.Duration;

/** {@link BrazeClient}s for tests: pointed at a {@link FakeBraze}, with short backoffs so retries take milliseconds. */
public final class BrazeTestClients {
    private BrazeTestClients() {
    }

    /** A client builder aimed at {@code braze} with its API key and test-friendly timings; adjust and build. */
    public static BrazeClient.Builder builderFor(FakeBraze braze) {
        return BrazeClient.builder()
                .endpoint(braze.url())
                .apiKey(Secret.of(braze.apiKey()))
                .maxRequestsInFlight(32)
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(200))
                .callTimeout(Duration.ofSeconds(5))
                .maxAttempts(8);
    }

    /** A client aimed at {@code braze}. */
    public static BrazeClient clientFor(FakeBraze braze) {
        return builderFor(braze).build();
    }
}
