package io.cdisync.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link JdbcIntegrationStore} on a real PostgreSQL started by the test. */
@ExtendWith(PostgresServer.class)
class PostgresIntegrationStoreTest extends IntegrationStoreContractTest {
    final PostgresServer pg = PostgresServer.shared();
    final String table = TestDatabase.uniqueName("integrations");

    @Override
    IntegrationStore store() {
        return JdbcIntegrationStore.builder().connectionFactory(pg.connections()).dialect(SqlDialect.postgres()).table(table)
                .clock(OpsFixtures.CLOCK).build();
    }

    @Test
    void namespacesShareATableWithoutSeeingEachOther() {
        JdbcIntegrationStore tenantA = JdbcIntegrationStore.builder().connectionFactory(pg.connections()).dialect(SqlDialect.postgres())
                .table(table).namespace("tenant-a").build();
        tenantA.commit(0, IntegrationSnapshot.EMPTY.with(OpsFixtures.warehouse("warehouse")));
        assertThat(store().load()).isEqualTo(IntegrationSnapshot.EMPTY);
        assertThat(tenantA.load().credentials()).containsKey("warehouse");
    }
}
