package io.cdisync.core.ops.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.ops.FailedRow;
import io.cdisync.core.ops.Integration;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One retry of failed rows: a one-off {@link SyncRunner} over the stored rows (a source of those rows
 * only), with a throwaway watermark store, so the integration's own watermark neither limits nor moves.
 * Then each row's outcome: failed again (with the new reason), delivered, or unknown.
 *
 * <p>A row is known delivered when it did not fail and the retry is known to have passed it: a run
 * that finished passed every row it read (except rows newer than its start, held back); a run that ended
 * on a global error or its row cap passed the rows strictly below its committed watermark (they come
 * before the first row not done, rows being read in UPDATED_AT order). Other rows stay in the log as they
 * were: a retry may then send a row twice, never drop one.
 */
public final class FailedRowRetry {
    private FailedRowRetry() {
    }

    /**
     * What a retry did.
     *
     * @param report      the one-off run's report
     * @param delivered   keys of rows delivered
     * @param failedAgain rows that failed again, updated
     * @param unknown     rows whose outcome is unknown
     */
    public record Outcome(SyncReport report, List<FailedRow.Key> delivered, List<FailedRow> failedAgain, long unknown) {
    }

    /**
     * Runs the retry on the calling thread.
     *
     * @param builder a runner builder with the Braze client and the host's tuning set; this sets the rest
     * @param rows    stored failed rows, each with its row kept
     */
    public static Outcome run(Integration integration, String runId, List<FailedRow> rows, SyncRunner.Builder builder,
            SyncListener downstream, Clock clock) {
        List<SourceRow> sourceRows = new ArrayList<>(rows.size());
        rows.forEach(row -> sourceRows.add(row.row()));
        Map<FailedRow.Key, RowError> errors = new HashMap<>();
        SyncListener collector = new SyncListener() {
            @Override
            public void onStart(String syncId, Instant watermark) {
                downstream.onStart(syncId, watermark);
            }

            @Override
            public void onProgress(String syncId, SyncProgress progress) {
                downstream.onProgress(syncId, progress);
            }

            @Override
            public void onRowError(String syncId, RowError error) {
                synchronized (errors) {
                    errors.put(new FailedRow.Key(error.rowKey(), error.updatedAt()), error);
                }
                downstream.onRowError(syncId, error);
            }

            @Override
            public void onGlobalError(String syncId, CdiException failure) {
                downstream.onGlobalError(syncId, failure);
            }

            @Override
            public void onFinish(SyncReport report) {
                downstream.onFinish(report);
            }
        };
        builder.syncId(integration.name()).dataType(integration.dataType())
                .source(new StoredRowsSource("failed rows of " + integration.name(), sourceRows))
                .watermarkStore(new InMemoryWatermarkStore()).lookback(Duration.ZERO).settleDelay(Duration.ZERO)
                .maxRowsPerRun(Long.MAX_VALUE).listener(collector).clock(clock);
        if (integration.catalog() != null) {
            builder.catalog(integration.catalog());
        }
        SyncReport report = builder.build().run();

        Instant now = clock.instant();
        boolean finished = report.status() == SyncStatus.SUCCESS || report.status() == SyncStatus.PARTIAL_SUCCESS;
        Instant passed = report.watermarkAfter();
        List<FailedRow.Key> delivered = new ArrayList<>();
        List<FailedRow> failedAgain = new ArrayList<>();
        long unknown = 0;
        for (FailedRow row : rows) {
            RowError error;
            synchronized (errors) {
                error = errors.get(row.key());
            }
            Instant updatedAt = row.updatedAt();
            if (error != null) {
                failedAgain.add(row.failedAgain(error, runId, now));
            } else if (updatedAt != null && (finished ? !updatedAt.isAfter(report.startedAt())
                    : passed != null && updatedAt.isBefore(passed))) {
                delivered.add(row.key());
            } else {
                unknown++;
            }
        }
        return new Outcome(report, delivered, failedAgain, unknown);
    }
}
