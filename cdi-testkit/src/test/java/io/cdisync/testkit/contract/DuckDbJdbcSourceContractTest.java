package io.cdisync.testkit.contract;

import io.cdisync.core.jdbc.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link io.cdisync.core.jdbc.JdbcSource} on DuckDB in-process (no way to break a read mid-stream: that test is skipped). */
class DuckDbJdbcSourceContractTest extends JdbcSourceConnectorContractTest {
    @TempDir
    Path dir;

    @Override
    TestDatabase database() {
        return TestDatabase.duckdb(dir);
    }
}
