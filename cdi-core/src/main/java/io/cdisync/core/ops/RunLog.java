package io.cdisync.core.ops;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The run log of integrations, as Braze's dashboard shows it: each run with its status and counts,
 * and each failed row with its reason (and, when the integration allows it, the row itself, so it can
 * be retried). Implementations: {@link InMemoryRunLog}, {@link FileRunLog}, {@link JdbcRunLog}, or the
 * host's own. {@link IntegrationRunner} writes it; export failed rows with {@link FailedRowExport}.
 *
 * <p>Called on the sync's thread while a run records (a run's failed rows are written before the
 * watermark passes them, in batches at each checkpoint) and on the host's threads to read. Methods may
 * block on I/O and fail with {@link OpsException.StoreFailure}. Implementations must be thread-safe;
 * several processes may share one log, each writing its own integrations' runs.
 */
public interface RunLog {
    /** Records a run that has just started (status {@link RunStatus#RUNNING}). */
    void runStarted(RunRecord run);

    /** Records how a run ended, replacing its running entry. */
    void runFinished(RunRecord run);

    /** The run {@code runId} of {@code integration}, if kept. */
    Optional<RunRecord> run(String integration, String runId);

    /** The integration's runs, newest first, at most {@code limit}. */
    List<RunRecord> runs(String integration, int limit);

    /**
     * Records failed rows, each replacing the entry of the same integration and {@link FailedRow#key()}.
     * Durable when it returns.
     */
    void recordFailedRows(List<FailedRow> rows);

    /** Removes the failed rows of {@code integration} with these keys (rows retried successfully). */
    void removeFailedRows(String integration, Collection<FailedRow.Key> keys);

    /** Calls {@code action} with each failed row of {@code integration}, in the order they were first recorded. */
    void forEachFailedRow(String integration, Consumer<? super FailedRow> action);

    /** The failed rows of {@code integration}, in the order they were first recorded. */
    default List<FailedRow> failedRows(String integration) {
        List<FailedRow> rows = new ArrayList<>();
        forEachFailedRow(integration, rows::add);
        return rows;
    }

    /**
     * Removes what is past the log's {@link RunLogRetention} at {@code clock}'s now: failed rows recorded
     * before now minus the rows' retention, runs started before now minus the runs' retention. Call it
     * from the host's scheduler (daily is plenty).
     */
    RunLogRetention.Pruned prune(Clock clock);
}
