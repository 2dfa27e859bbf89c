package io.cdisync.core.ops;

/** {@link InMemoryRunLog}: one instance plays every reader. */
class InMemoryRunLogTest extends RunLogContractTest {
    InMemoryRunLog log;

    @Override
    RunLog log(RunLogRetention retention) {
        if (log == null) {
            log = new InMemoryRunLog(retention);
        }
        return log;
    }
}
