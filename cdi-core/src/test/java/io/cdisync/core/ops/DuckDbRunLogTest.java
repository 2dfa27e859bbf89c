package io.cdisync.core.ops;

import io.cdisync.core.jdbc.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbcRunLog} on DuckDB in-process. */
class DuckDbRunLogTest extends RunLogContractTest {
    @TempDir
    Path dir;

    @Override
    RunLog log(RunLogRetention retention) {
        TestDatabase db = TestDatabase.duckdb(dir);
        return JdbcRunLog.builder().connectionFactory(db.connections()).dialect(db.dialect()).retention(retention).build();
    }
}
