package io.cdisync.testkit.jdbc;

import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.testkit.NoSecretsInLogs;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Syncs from DuckDB in-process, the watermark in the same DuckDB file. */
@ExtendWith(NoSecretsInLogs.class)
class DuckDbSyncTest extends JdbcSyncContractTest {
    @TempDir
    Path dir;

    @Override
    TestDatabase database() {
        return TestDatabase.duckdb(dir);
    }
}
