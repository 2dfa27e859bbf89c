package io.cdisync.testkit;

import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.FileWatermarkStore;
import io.cdisync.core.store.JdbcWatermarkStore;
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

    static SyncRunner runner(FakeWarehouse warehouse, BrazeClient client, WatermarkStore store, int concurrency) {
        return SyncRunner.builder().syncId("crash").source(warehouse.connector("users")).braze(client)
                .watermarkStore(store).concurrency(concurrency).checkpointInterval(Duration.ZERO).build();
    }

    /**
     * The store a state spec names: a directory for the file store, or a JDBC URL for the JDBC store (user
     * and password from the environment variables CDI_TEST_DB_USER and CDI_TEST_DB_PASSWORD).
     */
    static WatermarkStore store(String spec) {
        if (!spec.startsWith("jdbc:")) {
            return new FileWatermarkStore(Path.of(spec));
        }
        return JdbcWatermarkStore.builder()
                .connectionFactory(ConnectionFactory.of(spec, System.getenv("CDI_TEST_DB_USER"),
                        Secret.of(System.getenv("CDI_TEST_DB_PASSWORD"))))
                .dialect(SqlDialect.postgres()).table("crash_watermarks").build();
    }

    /** Args: braze url, api key, state (directory or JDBC URL), rows, concurrency. */
    public static void main(String[] args) {
        try (BrazeClient client = BrazeClient.builder().endpoint(args[0]).apiKey(Secret.of(args[1]))
                .initialBackoff(Duration.ofMillis(10)).build()) {
            SyncReport report = runner(warehouse(Integer.parseInt(args[3])), client, store(args[2]),
                    Integer.parseInt(args[4])).run();
            System.out.println(report.summary());
        }
    }
}
