package io.cdisync.testkit.jdbc;

import io.cdisync.core.jdbc.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Syncs from DuckDB in-process, the watermark in the same DuckDB file. */
class DuckDbSyncTest extends JdbcSyncContractTest {
    @TempDir
    Path dir;

    @Override
    TestDatabase database() {
        return TestDatabase.duckdb(dir);
    }
}
