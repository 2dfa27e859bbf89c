package io.cdisync.core.ops;

/** {@link InMemoryIntegrationStore}: one instance plays every writer. */
class InMemoryIntegrationStoreTest extends IntegrationStoreContractTest {
    final InMemoryIntegrationStore store = new InMemoryIntegrationStore();

    @Override
    IntegrationStore store() {
        return store;
    }
}
