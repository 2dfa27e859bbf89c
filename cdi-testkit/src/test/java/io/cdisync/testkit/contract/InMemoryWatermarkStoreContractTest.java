package io.cdisync.testkit.contract;

import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.InMemoryWatermarkStore;

/** {@link InMemoryWatermarkStore}: its state lives in the instance, so every "new" store is the same one. */
class InMemoryWatermarkStoreContractTest extends WatermarkStoreContract {
    private final InMemoryWatermarkStore store = new InMemoryWatermarkStore();

    @Override
    protected WatermarkStore newStore() {
        return store;
    }
}
