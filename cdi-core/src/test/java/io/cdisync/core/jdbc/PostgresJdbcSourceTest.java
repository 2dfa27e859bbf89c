package io.cdisync.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link JdbcSource} on a real PostgreSQL 15 that the test starts ({@link PostgresServer}), through pgjdbc. */
@ExtendWith(PostgresServer.class)
class PostgresJdbcSourceTest extends JdbcSourceTestBase {
    final PostgresServer pg = PostgresServer.shared();

    @Override
    TestDatabase database() {
        return TestDatabase.postgres(pg);
    }

    @Test
    void payloadsAsTextJsonAndJsonbAreReadAsText() {
        String table = TestDatabase.uniqueName("payloads");
        pg.execute("CREATE TABLE " + table + " (updated_at timestamptz, external_id text, payload_text text)",
                "INSERT INTO " + table + " VALUES ('2026-01-01 12:00:00+00', 'a', '{\"k\": \"text\"}')");
        for (String type : List.of("json", "jsonb")) {
            String typed = TestDatabase.uniqueName("payload_" + type);
            pg.execute("CREATE TABLE " + typed + " (updated_at timestamptz, external_id text, payload " + type + ")",
                    "INSERT INTO " + typed + " VALUES ('2026-01-01 12:00:00+00', 'a', '{\"k\": {\"n\": [1, 2]}}'::" + type + ")");
            List<SourceRow> rows = readAll(source(typed).build(), null, FAR, 10);
            assertThat(rows.get(0).payload()).as(type).isInstanceOf(String.class);
            assertThat(((String) rows.get(0).payload()).replace(" ", "")).as(type).isEqualTo("{\"k\":{\"n\":[1,2]}}");
        }
        pg.execute("ALTER TABLE " + table + " RENAME COLUMN payload_text TO PAYLOAD");
        assertThat(readAll(source(table).build(), null, FAR, 10).get(0).payload()).isEqualTo("{\"k\": \"text\"}");
    }

    @Test
    void aMillionRowsStreamInOrderWithConstantMemory() {
        String table = TestDatabase.uniqueName("million");
        pg.execute("CREATE TABLE " + table + " (UPDATED_AT timestamp, EXTERNAL_ID text, PAYLOAD text)",
                "INSERT INTO " + table + " SELECT TIMESTAMP '2026-01-01 00:00:00' + (i / 3) * INTERVAL '1 millisecond',"
                        + " 'user-' || i, '{\"i\":' || i || ',\"pad\":\"' || repeat('x', 100) || '\"}'"
                        + " FROM generate_series(1, 1000000) AS i");
        JdbcSource source = source(table).fetchSize(2_000).build();
        long baseline = usedHeapAfterGc();
        long peak = 0;
        long rows = 0;
        Instant last = Instant.MIN;
        try (RowStream stream = source.read(new ReadRequest(null, FAR, 1_000))) {
            RowBatch batch;
            while ((batch = stream.nextBatch()) != null) {
                assertThat(batch.size()).isEqualTo(1_000);
                for (SourceRow row : batch.rows()) {
                    assertThat(row.updatedAt()).isAfterOrEqualTo(last);
                    last = row.updatedAt();
                }
                rows += batch.size();
                if (rows % 200_000 == 0) {
                    peak = Math.max(peak, usedHeapAfterGc() - baseline);
                }
            }
        }
        assertThat(rows).isEqualTo(1_000_000);
        assertThat(last).isEqualTo(Instant.parse("2026-01-01T00:05:33.333Z"));
        // The whole result would be several hundred MB on the heap; a stream holds one batch and one fetch.
        assertThat(peak).as("heap growth while streaming, bytes").isLessThan(48L * 1024 * 1024);
    }

    @Test
    void aWrongPasswordIsAuthenticationFailedForTheUserWithoutThePassword() {
        JdbcSource source = source(database().createUsersTable())
                .connectionFactory(pg.connectionsAs(pg.user(), Secret.of("wrong-password-1234"))).build();

        assertThatThrownBy(source::check).isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("authentication failed for user " + pg.user() + " on 127.0.0.1:" + pg.port())
                .hasMessageContaining("check the user and password")
                .satisfies(e -> assertNoSecret(e, "wrong-password-1234"));
        assertThatThrownBy(() -> source.read(new ReadRequest(null, FAR, 10))).isInstanceOf(CdiException.AccessDenied.class);
    }

    @Test
    void aMissingGrantSaysWhichGrantToGive() {
        String table = database().createUsersTable();
        Secret password = Secret.of("reader-password-5678");
        pg.createUser("cdi_reader", password);
        JdbcSource source = source(table).connectionFactory(pg.connectionsAs("cdi_reader", password)).build();

        assertThatThrownBy(source::check).isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("missing grant: GRANT SELECT ON public." + table + " TO cdi_reader")
                .satisfies(e -> assertNoSecret(e, password.reveal()));
        assertThatThrownBy(() -> source.read(new ReadRequest(null, FAR, 10))).isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("GRANT SELECT ON public." + table + " TO cdi_reader");

        pg.execute("GRANT SELECT ON " + table + " TO cdi_reader");
        source.check();
    }

    @Test
    void anUnreachablePortIsConnectionFailedNamingHostAndPort() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        JdbcSource source = source("users").connectionFactory(ConnectionFactory.of("jdbc:postgresql://127.0.0.1:" + closedPort
                + "/cdi?connectTimeout=5", pg.user(), pg.password())).build();

        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConnectionFailed.class)
                .hasMessageContaining("cannot reach 127.0.0.1:" + closedPort)
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isTrue())
                .satisfies(e -> assertNoSecret(e, pg.password().reveal()));
    }

    @Test
    void secretsInAUrlNeverReachAMessage() {
        JdbcSource source = source("users").connectionFactory(ConnectionFactory.of(
                "jdbc:nosuchdriver://admin:url-secret-1@127.0.0.1:5432/cdi?password=url-secret-2&ssl=true")).build();

        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConnectionFailed.class)
                .hasMessageContaining("cannot reach 127.0.0.1:5432")
                .satisfies(e -> assertNoSecret(e, "url-secret-1"))
                .satisfies(e -> assertNoSecret(e, "url-secret-2"));
    }

    @Test
    void aMissingDatabaseIsAConfigurationError() {
        JdbcSource source = source("users").connectionFactory(ConnectionFactory.of(
                "jdbc:postgresql://127.0.0.1:" + pg.port() + "/no_such_db", pg.user(), pg.password())).build();
        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("the database does not exist");
    }

    @Test
    void aQueryOverTheTimeoutIsCancelledAndRetryable() {
        String table = database().createUsersTable();
        database().insertUser(table, T0, "u1", "{}");
        String slow = TestDatabase.uniqueName("slow_view");
        pg.execute("CREATE VIEW " + slow + " AS SELECT u.* FROM " + table + " u, pg_sleep(3) s");
        JdbcSource source = source(slow).queryTimeout(Duration.ofSeconds(1)).build();

        assertThatThrownBy(() -> readAll(source, null, FAR, 10)).isInstanceOf(CdiException.class)
                .hasMessageContaining("cancelled or timed out")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isTrue());
    }

    /** Neither the exception's message nor any message in its cause chain contains {@code secret}. */
    static void assertNoSecret(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
            assertThat(t.toString()).doesNotContain(secret);
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
