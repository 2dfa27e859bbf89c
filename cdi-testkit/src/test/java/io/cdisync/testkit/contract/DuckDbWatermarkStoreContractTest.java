package io.cdisync.testkit.contract;

import io.cdisync.core.jdbc.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link io.cdisync.core.store.JdbcWatermarkStore} on DuckDB in-process (write conflicts instead of row locks). */
class DuckDbWatermarkStoreContractTest extends JdbcWatermarkStoreContractTest {
    @TempDir
    Path dir;

    @Override
    TestDatabase database() {
        return TestDatabase.duckdb(dir);
    }
}
