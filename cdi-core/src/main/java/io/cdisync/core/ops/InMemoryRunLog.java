package io.cdisync.core.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** A run log in memory, for tests and hosts that keep no history. Thread-safe. */
public final class InMemoryRunLog implements RunLog {
    private final RunLogRetention retention;
    private final Map<String, RunRecord> runs = new LinkedHashMap<>();
    private final Map<String, Map<FailedRow.Key, FailedRow>> failed = new LinkedHashMap<>();

    /** A log with the default retention. */
    public InMemoryRunLog() {
        this(RunLogRetention.DEFAULT);
    }

    /** A log with {@code retention}. */
    public InMemoryRunLog(RunLogRetention retention) {
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    @Override
    public synchronized void runStarted(RunRecord run) {
        runs.put(run.runId(), run);
    }

    @Override
    public synchronized void runFinished(RunRecord run) {
        runs.put(run.runId(), run);
    }

    @Override
    public synchronized Optional<RunRecord> run(String integration, String runId) {
        RunRecord run = runs.get(runId);
        return run != null && run.integration().equals(integration) ? Optional.of(run) : Optional.empty();
    }

    @Override
    public synchronized List<RunRecord> runs(String integration, int limit) {
        return runs.values().stream().filter(r -> r.integration().equals(integration))
                .sorted(Comparator.comparing(RunRecord::startedAt).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized void recordFailedRows(List<FailedRow> rows) {
        for (FailedRow row : rows) {
            failed.computeIfAbsent(row.integration(), k -> new LinkedHashMap<>()).put(row.key(), row);
        }
    }

    @Override
    public synchronized void removeFailedRows(String integration, Collection<FailedRow.Key> keys) {
        Map<FailedRow.Key, FailedRow> rows = failed.get(integration);
        if (rows != null) {
            keys.forEach(rows::remove);
        }
    }

    @Override
    public void forEachFailedRow(String integration, Consumer<? super FailedRow> action) {
        List<FailedRow> copy;
        synchronized (this) {
            copy = new ArrayList<>(failed.getOrDefault(integration, Map.of()).values());
        }
        copy.forEach(action);
    }

    @Override
    public synchronized RunLogRetention.Pruned prune(Clock clock) {
        Instant now = clock.instant();
        Instant rowsCutoff = retention.failedRowsCutoff(now);
        Instant runsCutoff = retention.runsCutoff(now);
        long prunedRows = 0;
        for (Map<FailedRow.Key, FailedRow> rows : failed.values()) {
            int before = rows.size();
            rows.values().removeIf(r -> r.recordedAt().isBefore(rowsCutoff));
            prunedRows += before - rows.size();
        }
        int before = runs.size();
        runs.values().removeIf(r -> r.startedAt().isBefore(runsCutoff));
        return new RunLogRetention.Pruned(before - runs.size(), prunedRows);
    }
}
