package io.cdisync.core.ops;

import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link JdbcRunLog} on a real PostgreSQL started by the test. */
@ExtendWith(PostgresServer.class)
class PostgresRunLogTest extends RunLogContractTest {
    final PostgresServer pg = PostgresServer.shared();
    final String prefix = TestDatabase.uniqueName("log");

    @Override
    RunLog log(RunLogRetention retention) {
        return JdbcRunLog.builder().connectionFactory(pg.connections()).dialect(SqlDialect.postgres()).runsTable(prefix + "_runs")
                .failedRowsTable(prefix + "_failed").retention(retention).build();
    }
}
