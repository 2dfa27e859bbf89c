package io.cdisync.core.ops;

import java.util.Objects;

/** Integrations in memory, for tests and hosts that define them in code. Thread-safe; compare-and-set commits. */
public final class InMemoryIntegrationStore implements IntegrationStore {
    private IntegrationSnapshot current = IntegrationSnapshot.EMPTY;

    @Override
    public synchronized IntegrationSnapshot load() {
        return current;
    }

    @Override
    public synchronized long commit(long expectedVersion, IntegrationSnapshot next) {
        Objects.requireNonNull(next, "next");
        if (current.version() != expectedVersion) {
            throw new OpsException.ConcurrentChange("the integrations were changed by another writer (expected version "
                    + expectedVersion + ", found " + current.version() + ")");
        }
        current = next.atVersion(expectedVersion + 1);
        return current.version();
    }

    @Override
    public String toString() {
        return "InMemoryIntegrationStore{" + current + "}";
    }
}
