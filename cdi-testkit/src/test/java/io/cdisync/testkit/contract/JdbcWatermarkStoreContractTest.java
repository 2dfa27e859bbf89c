package io.cdisync.testkit.contract;

import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.JdbcWatermarkStore;
import java.time.Duration;

/**
 * {@link JdbcWatermarkStore} with its leases; subclasses give the database. Lease expiry and the JDBC-only
 * behaviour (corrupt rows, missing tables, table layout) are tested in cdi-core.
 */
abstract class JdbcWatermarkStoreContractTest extends WatermarkStoreContract {
    private final String table = TestDatabase.uniqueName("contract_watermarks");

    abstract TestDatabase database();

    @Override
    protected WatermarkStore newStore() {
        return JdbcWatermarkStore.builder().connectionFactory(database().connections()).dialect(database().dialect())
                .table(table).build();
    }

    @Override
    protected boolean supportsLeases() {
        return true;
    }

    @Override
    protected Lease acquireLease(WatermarkStore store, String syncId, String owner, Duration ttl) {
        return ((JdbcWatermarkStore) store).acquireLease(syncId, owner, ttl)::release;
    }
}
