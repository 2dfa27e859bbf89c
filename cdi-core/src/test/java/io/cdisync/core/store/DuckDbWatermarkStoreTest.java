package io.cdisync.core.store;

import io.cdisync.core.jdbc.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbcWatermarkStore} on DuckDB in-process (optimistic concurrency: write conflicts instead of row locks). */
class DuckDbWatermarkStoreTest extends JdbcWatermarkStoreTestBase {
    @TempDir
    Path dir;

    @Override
    TestDatabase database() {
        return TestDatabase.duckdb(dir);
    }
}
