package io.cdisync.testkit;

import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.store.FileWatermarkStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A sync in its own JVM, for {@link CrashResumeTest} to kill with SIGKILL at arbitrary points. */
public final class CrashChild {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private CrashChild() {
    }

    /** The same table in every JVM: {@code rows} rows over 500 users, two rows per second (ties). */
    static FakeWarehouse warehouse(int rows) {
        FakeWarehouse warehouse = new FakeWarehouse();
        FakeTable table = warehouse.createTable("users");
        for (int i = 0; i < rows; i++) {
            table.insert(FakeTable.attributes(T0.plusSeconds(i / 2), "user-" + (i % 500), "{\"i\":" + i + "}"));
        }
        return warehouse;
    }

    static SyncRunner runner(FakeWarehouse warehouse, BrazeClient client, Path state, int concurrency) {
        return SyncRunner.builder().syncId("crash").source(warehouse.connector("users")).braze(client)
                .watermarkStore(new FileWatermarkStore(state)).concurrency(concurrency)
                .checkpointInterval(Duration.ZERO).build();
    }

    /** Args: braze url, api key, state dir, rows, concurrency. */
    public static void main(String[] args) {
        try (BrazeClient client = BrazeClient.builder().endpoint(args[0]).apiKey(Secret.of(args[1]))
                .initialBackoff(Duration.ofMillis(10)).build()) {
            SyncReport report = runner(warehouse(Integer.parseInt(args[3])), client, Path.of(args[2]),
                    Integer.parseInt(args[4])).run();
            System.out.println(report.summary());
        }
    }
}
