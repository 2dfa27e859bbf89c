package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.store.FileWatermarkStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync in a child JVM killed with SIGKILL at random points, then rerun: every row arrives, rows sent
 * twice stay within what was in flight, and the watermark file is never corrupt.
 */
class CrashResumeTest {
    static final int ROWS = 20_000;
    static final int CONCURRENCY = 4;

    @Test
    void killedSyncsResumeWithoutLosingRows(@TempDir Path state) throws Exception {
        long seed = System.nanoTime();
        System.out.println("CrashResumeTest seed " + seed);
        Random random = new Random(seed);
        try (FakeBraze braze = FakeBraze.builder().latency(Duration.ofMillis(15)).start()) {
            FileWatermarkStore store = new FileWatermarkStore(state);
            List<Integer> killPoints = new ArrayList<>();
            for (int kill = 0; kill < 3; kill++) {
                int before = braze.attributes().size();
                int target = before + 1_000 + random.nextInt(3_000);
                Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                        braze.url(), braze.apiKey(), state.toString(), Integer.toString(ROWS), Integer.toString(CONCURRENCY))
                        .redirectErrorStream(true).redirectOutput(state.resolve("child-" + kill + ".log").toFile()).start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (braze.attributes().size() < target && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                child.destroyForcibly(); // SIGKILL: no shutdown hooks, no final checkpoint
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                killPoints.add(braze.attributes().size());
                // The watermark file is readable after every kill (atomic replace).
                store.load("crash");
            }
            System.out.println("killed at " + killPoints + " objects received");

            try (BrazeClient client = BrazeTestClients.clientFor(braze)) {
                SyncReport rerun = CrashChild.runner(CrashChild.warehouse(ROWS), client, state, CONCURRENCY).run();
                assertThat(rerun.status()).isEqualTo(SyncStatus.SUCCESS);
            }

            Set<Integer> received = new HashSet<>();
            for (ObjectNode object : braze.attributes()) {
                received.add(object.path("i").asInt());
            }
            assertThat(received).hasSize(ROWS);
            int duplicates = braze.attributes().size() - ROWS;
            // Per kill, at most the rows past the last durable checkpoint: the engine's pending window.
            int window = 4 * 75 * CONCURRENCY + 75 * CONCURRENCY;
            assertThat(duplicates).isLessThanOrEqualTo(killPoints.size() * window);
        }
    }
}
