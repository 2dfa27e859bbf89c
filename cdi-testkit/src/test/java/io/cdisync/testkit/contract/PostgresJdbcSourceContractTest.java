package io.cdisync.testkit.contract;

import io.cdisync.core.jdbc.JdbcSource;
import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.spi.SourceConnector;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link JdbcSource} on a real PostgreSQL; a failure mid-stream is the server ending the reading session. */
@ExtendWith(PostgresServer.class)
class PostgresJdbcSourceContractTest extends JdbcSourceConnectorContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres(PostgresServer.shared());
    }

    @Override
    protected boolean failReadsInProgress(SourceConnector source) {
        String table = ((JdbcSource) source).table().toString().toLowerCase();
        // The superuser may end any session; the application user only its own, which is what the read runs as.
        database().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                + " AND strpos(lower(query), '" + table + "') > 0");
        return true;
    }
}
