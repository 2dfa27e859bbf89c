package io.cdisync.benchmarks;

import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.BrazeClientStats;
import io.cdisync.braze.Secret;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.store.InMemoryWatermarkStore;
import io.cdisync.testkit.FakeWarehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * One attribute sync from a generated {@link FakeWarehouse} table to a fake Braze, measured: the rows
 * are made on the fly, so the warehouse holds nothing; the fake counts and keeps nothing.
 *
 * @param name          the table line's name
 * @param rows          rows in the table
 * @param payloadBytes  PAYLOAD size
 * @param concurrency   requests in flight (sync lanes and client bound); 0 keeps the library's defaults
 */
record SyncScenario(String name, long rows, int payloadBytes, int concurrency) {

    /** Runs the sync from a generated fake-warehouse table against the fake at {@code url} and measures it. */
    Result run(String url, String apiKey, DoubleSupplier fakeCpu) {
        FakeWarehouse warehouse = new FakeWarehouse();
        long users = Math.max(1, rows / 2); // most users get two rows: per-user order is exercised
        warehouse.generatedTable("users", rows, i -> SamplePayloads.row(i, users, payloadBytes));
        return run(warehouse.connector("users"), url, apiKey, fakeCpu);
    }

    /** Runs the sync from {@code source} (which holds {@code rows} rows) and measures it. */
    Result run(SourceConnector source, String url, String apiKey, DoubleSupplier fakeCpu) {
        BrazeClient.Builder client = BrazeClient.builder().endpoint(url).apiKey(Secret.of(apiKey));
        if (concurrency > 0) {
            client.maxRequestsInFlight(concurrency);
        }
        Progress progress = new Progress();
        double fakeCpuBefore = fakeCpu.getAsDouble();
        SyncReport report;
        BrazeClientStats stats;
        Measurement measured;
        try (BrazeClient braze = client.build()) {
            SyncRunner.Builder runner = SyncRunner.builder().syncId("bench-" + Math.abs(name.hashCode())).source(source).braze(braze)
                    .watermarkStore(new InMemoryWatermarkStore()).listener(progress);
            if (concurrency > 0) {
                runner.concurrency(concurrency);
            }
            SyncRunner sync = runner.build();
            measured = new Measurement();
            try (measured) {
                report = sync.run();
            }
            stats = braze.stats();
        }
        if (report.status() != SyncStatus.SUCCESS || report.rowsDelivered() != rows) {
            throw new IllegalStateException(name + ": the sync did not deliver every row: " + report.summary());
        }
        double rate = progress.steadyRate(measured.seconds(), rows);
        return new Result(name, rows, measured.seconds(), rate, rate / Result.BRAZE_ROWS_PER_SEC, stats.rateLimited(),
                stats.requests(), measured.cpuSeconds(), fakeCpu.getAsDouble() - fakeCpuBefore, measured.peakHeapMb(),
                String.format(java.util.Locale.ROOT, "%s, %d B payload, %,d requests (%.1f rows each), sync thread %.1f CPU s",
                        concurrency > 0 ? "in flight " + concurrency : "defaults (128 in flight)", payloadBytes,
                        stats.requests(), (double) rows / Math.max(1, stats.requests()), measured.threadCpuSeconds()));
    }

    /** Progress events (about one per second): delivered rows over time, for the steady-state rate. */
    private static final class Progress implements SyncListener {
        private final List<long[]> samples = new ArrayList<>();

        @Override
        public synchronized void onProgress(String syncId, SyncProgress progress) {
            samples.add(new long[] {progress.elapsed().toNanos(), progress.rowsDelivered()});
        }

        /** Rows/s between 10% and 90% of the run, or over the whole run when it is too short to tell. */
        synchronized double steadyRate(double seconds, long rows) {
            long from = (long) (seconds * 0.1e9);
            long to = (long) (seconds * 0.9e9);
            long[] first = null;
            long[] last = null;
            for (long[] sample : samples) {
                if (sample[0] >= from && first == null) {
                    first = sample;
                }
                if (sample[0] <= to) {
                    last = sample;
                }
            }
            if (first == null || last == null || last[0] - first[0] < 2_000_000_000L) {
                return rows / seconds;
            }
            return (last[1] - first[1]) / ((last[0] - first[0]) / 1e9);
        }
    }
}
