package io.cdisync.testkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.testkit.FakeBraze;
import io.cdisync.testkit.NoSecretsInLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A 1,000,000-row table synced from PostgreSQL by a JVM whose heap is capped at 256 MB. */
@ExtendWith(PostgresServer.class)
@ExtendWith(NoSecretsInLogs.class)
class MillionRowSyncTest {
    static final int ROWS = 1_000_000;

    @Test
    void aMillionRowsSyncWithTheHeapCappedAt256Megabytes(@TempDir Path dir) throws Exception {
        PostgresServer pg = PostgresServer.shared();
        NoSecretsInLogs.secret(pg.password().reveal());
        pg.execute("DROP TABLE IF EXISTS million_sync", "DROP TABLE IF EXISTS million_watermarks",
                "CREATE TABLE million_sync (UPDATED_AT timestamptz, EXTERNAL_ID text, PAYLOAD text)",
                "INSERT INTO million_sync SELECT TIMESTAMPTZ '2026-01-01 00:00:00+00' + (i / 4) * INTERVAL '1 millisecond',"
                        + " 'user-' || (i % 50000), '{\"i\":' || i || ',\"profile\":{\"tier\":\"gold\",\"pad\":\"' || repeat('x', 120) || '\"}}'"
                        + " FROM generate_series(0, " + (ROWS - 1) + ") AS i");
        // The fake Braze keeps only what the test needs: which rows arrived.
        BitSet seen = new BitSet(ROWS);
        try (FakeBraze braze = FakeBraze.start()) {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), MillionRowSyncChild.class.getName(),
                    braze.url(), braze.apiKey(), pg.url(), "million_sync")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
            builder.environment().put("CDI_TEST_DB_USER", pg.user());
            builder.environment().put("CDI_TEST_DB_PASSWORD", pg.password().reveal());
            Process child = builder.start();
            boolean finished = child.waitFor(10, TimeUnit.MINUTES);
            String log = Files.readString(dir.resolve("child.log"));
            assertThat(log).doesNotContain(pg.password().reveal()).doesNotContain(braze.apiKey());
            System.out.println(log.lines().filter(l -> l.startsWith("status=")).findFirst().orElse(log));
            assertThat(finished).as("finished in time").isTrue();
            assertThat(child.exitValue()).as(log).isZero();
            assertThat(log).doesNotContain("OutOfMemoryError");
            braze.attributes().forEach(o -> seen.set(o.path("i").asInt()));
            assertThat(seen.cardinality()).isEqualTo(ROWS);
        }
    }
}
