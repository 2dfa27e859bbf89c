package io.cdisync.core.ops;

import io.cdisync.core.jdbc.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbcIntegrationStore} on DuckDB in-process (optimistic concurrency: write conflicts instead of row locks). */
class DuckDbIntegrationStoreTest extends IntegrationStoreContractTest {
    @TempDir
    Path dir;

    @Override
    IntegrationStore store() {
        TestDatabase db = TestDatabase.duckdb(dir);
        return JdbcIntegrationStore.builder().connectionFactory(db.connections()).dialect(db.dialect()).build();
    }
}
