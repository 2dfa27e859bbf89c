package io.cdisync.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link JdbcWatermarkStore} on a real PostgreSQL 15 started by the test. */
@ExtendWith(PostgresServer.class)
class PostgresWatermarkStoreTest extends JdbcWatermarkStoreTestBase {
    final PostgresServer pg = PostgresServer.shared();

    @Override
    TestDatabase database() {
        return TestDatabase.postgres(pg);
    }

    @Test
    void theTableCanLiveInASchemaAndHasTheDocumentedColumns() {
        String schema = TestDatabase.uniqueName("cdi_state");
        pg.execute("CREATE SCHEMA " + schema);
        JdbcWatermarkStore store = JdbcWatermarkStore.builder().connectionFactory(pg.connections()).dialect(SqlDialect.postgres())
                .table(schema + ".watermarks").clock(clock).build();
        store.commit("s", 0, FileWatermarkStoreTest.W1);
        pg.execute("INSERT INTO " + schema + ".watermarks (sync_id, version, watermark, updated_at, lease_owner, lease_expires_at)"
                + " SELECT 'copy', version, watermark, updated_at, lease_owner, lease_expires_at FROM " + schema
                + ".watermarks WHERE sync_id = 's' AND updated_at = TIMESTAMPTZ '2026-03-01 10:00:00+00'");
        assertThat(store.load("copy").orElseThrow().watermark()).isEqualTo(FileWatermarkStoreTest.W1);
    }

    @Test
    void aWrongPasswordIsAStoreFailureThatSaysSoWithoutThePassword() {
        JdbcWatermarkStore store = JdbcWatermarkStore.builder()
                .connectionFactory(pg.connectionsAs(pg.user(), Secret.of("not-the-password-42"))).dialect(SqlDialect.postgres())
                .build();
        assertThatThrownBy(() -> store.load("s")).isInstanceOf(CdiException.WatermarkStoreFailure.class)
                .hasMessageContaining("authentication failed for user " + pg.user())
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(t.toString()).doesNotContain("not-the-password-42");
                    }
                });
    }
}
