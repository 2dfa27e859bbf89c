package io.cdisync.testkit.ops;

import io.cdisync.core.ops.FailedRow;
import io.cdisync.core.ops.RunLog;
import io.cdisync.core.ops.RunLogRetention;
import io.cdisync.core.ops.RunRecord;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A run log passing everything to another; tests override what they break. */
class ForwardingRunLog implements RunLog {
    private final RunLog delegate;

    ForwardingRunLog(RunLog delegate) {
        this.delegate = delegate;
    }

    @Override
    public void runStarted(RunRecord run) {
        delegate.runStarted(run);
    }

    @Override
    public void runFinished(RunRecord run) {
        delegate.runFinished(run);
    }

    @Override
    public Optional<RunRecord> run(String integration, String runId) {
        return delegate.run(integration, runId);
    }

    @Override
    public List<RunRecord> runs(String integration, int limit) {
        return delegate.runs(integration, limit);
    }

    @Override
    public void recordFailedRows(List<FailedRow> rows) {
        delegate.recordFailedRows(rows);
    }

    @Override
    public void removeFailedRows(String integration, Collection<FailedRow.Key> keys) {
        delegate.removeFailedRows(integration, keys);
    }

    @Override
    public void forEachFailedRow(String integration, Consumer<? super FailedRow> action) {
        delegate.forEachFailedRow(integration, action);
    }

    @Override
    public RunLogRetention.Pruned prune(Clock clock) {
        return delegate.prune(clock);
    }
}
