package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncStatus;
import io.cdisync.braze.Secret;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.JdbcWatermarkStore;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
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
@ExtendWith(NoSecretsInLogs.class)
class CrashResumeTest {
    static final int ROWS = 100_000;
    static final int CONCURRENCY = 4;
    static final int KILLS = 20;

    @Test
    void killedSyncsResumeWithoutLosingRowsWithTheFileStore(@TempDir Path state) throws Exception {
        killAndResume(state.toString(), state, Map.of());
    }

    @Test
    @ExtendWith(PostgresServer.class)
    void killedSyncsResumeWithoutLosingRowsWithTheJdbcStoreOnPostgres(@TempDir Path logs) throws Exception {
        PostgresServer pg = PostgresServer.shared();
        NoSecretsInLogs.secret(pg.password().reveal());
        pg.execute("DROP TABLE IF EXISTS crash_watermarks");
        killAndResume(pg.url(), logs, Map.of("CDI_TEST_DB_USER", pg.user(), "CDI_TEST_DB_PASSWORD", pg.password().reveal()));
    }

    private void killAndResume(String stateSpec, Path logs, Map<String, String> env) throws Exception {
        Seeds.withSeed("CrashResumeTest", seed -> killAndResume(stateSpec, logs, env, new Random(seed)));
    }

    private void killAndResume(String stateSpec, Path logs, Map<String, String> env, Random random) throws Exception {
        try (FakeBraze braze = FakeBraze.builder().latency(Duration.ofMillis(15)).start()) {
            WatermarkStore store = env.isEmpty() ? CrashChild.store(stateSpec) : storeWith(stateSpec, env);
            List<Integer> killPoints = new ArrayList<>();
            for (int kill = 0; kill < KILLS; kill++) {
                int before = braze.attributes().size();
                int target = before + 1_000 + random.nextInt(4_000);
                ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                        braze.url(), braze.apiKey(), stateSpec, Integer.toString(ROWS), Integer.toString(CONCURRENCY))
                        .redirectErrorStream(true).redirectOutput(logs.resolve("child-" + kill + ".log").toFile());
                builder.environment().putAll(env);
                NoSecretsInLogs.scanAlso(logs.resolve("child-" + kill + ".log"));
                Process child = builder.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (braze.attributes().size() < target && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                child.destroyForcibly(); // SIGKILL: no shutdown hooks, no final checkpoint
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                killPoints.add(braze.attributes().size());
                // The watermark is readable after every kill (atomic replace / transaction).
                store.load("crash");
            }
            System.out.println("killed at " + killPoints + " objects received");

            try (BrazeClient client = BrazeTestClients.clientFor(braze)) {
                SyncReport rerun = CrashChild.runner(CrashChild.warehouse(ROWS), client, store, CONCURRENCY).run();
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

    private static WatermarkStore storeWith(String url, Map<String, String> env) {
        return JdbcWatermarkStore.builder()
                .connectionFactory(ConnectionFactory.of(url, env.get("CDI_TEST_DB_USER"), Secret.of(env.get("CDI_TEST_DB_PASSWORD"))))
                .dialect(SqlDialect.postgres()).table("crash_watermarks").build();
    }
}
