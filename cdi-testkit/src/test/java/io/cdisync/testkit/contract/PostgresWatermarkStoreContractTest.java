package io.cdisync.testkit.contract;

import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.TestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link io.cdisync.core.store.JdbcWatermarkStore} on a real PostgreSQL ({@link PostgresServer}). */
@ExtendWith(PostgresServer.class)
class PostgresWatermarkStoreContractTest extends JdbcWatermarkStoreContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres(PostgresServer.shared());
    }
}
