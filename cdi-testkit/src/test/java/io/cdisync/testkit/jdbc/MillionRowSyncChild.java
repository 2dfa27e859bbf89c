package io.cdisync.testkit.jdbc;

import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.JdbcSource;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.store.JdbcWatermarkStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;

/**
 * A full sync from PostgreSQL in its own JVM, started by {@link MillionRowSyncTest} with a capped heap.
 * Args: braze url, api key, JDBC url, table. Credentials in CDI_TEST_DB_USER / CDI_TEST_DB_PASSWORD.
 */
public final class MillionRowSyncChild {
    private MillionRowSyncChild() {
    }

    public static void main(String[] args) {
        ConnectionFactory connections = ConnectionFactory.of(args[2], System.getenv("CDI_TEST_DB_USER"),
                Secret.of(System.getenv("CDI_TEST_DB_PASSWORD")));
        try (BrazeClient client = BrazeClient.builder().endpoint(args[0]).apiKey(Secret.of(args[1])).maxRequestsInFlight(32)
                .initialBackoff(Duration.ofMillis(10)).build()) {
            SyncReport report = SyncRunner.builder().syncId("million")
                    .source(JdbcSource.builder().connectionFactory(connections).dialect(SqlDialect.postgres()).table(args[3])
                            .fetchSize(2_000).build())
                    .braze(client)
                    .watermarkStore(JdbcWatermarkStore.builder().connectionFactory(connections).dialect(SqlDialect.postgres())
                            .table("million_watermarks").build())
                    .concurrency(16)
                    .build().run();
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("status=" + report.status() + " delivered=" + report.rowsDelivered() + " seconds="
                    + report.duration().toSeconds() + " peakHeapMiB=" + peak / (1024 * 1024));
            System.exit(report.status() == io.cdisync.core.SyncStatus.SUCCESS ? 0 : 1);
        }
    }
}
