package io.cdisync.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.spi.ReadRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every failure class through the real driver, each with a message that says what to fix and no password in
 * the message, its cause chain, {@code toString()}, or the test run's log.
 */
@ExtendWith(RedshiftStandIn.class)
class RedshiftErrorsTest {
    static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
    static final String WRONG_PASSWORD = "wrong-Pa55word-8812";

    final RedshiftStandIn redshift = RedshiftStandIn.shared();
    final TestDatabase db = redshift.database();

    /** Neither the exception's message nor any message or {@code toString()} in its cause chain contains {@code secret}. */
    static void assertNoSecret(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
            assertThat(t.toString()).doesNotContain(secret);
        }
    }

    @AfterAll
    static void noPasswordWasLogged() throws IOException {
        Path log = Path.of("target/test-logs.txt");
        if (Files.exists(log)) {
            String text = Files.readString(log);
            assertThat(text).doesNotContain(WRONG_PASSWORD).doesNotContain(RedshiftStandIn.shared().postgres().password().reveal())
                    .doesNotContain(RedshiftStandIn.READER_PASSWORD.reveal());
        }
    }

    @Test
    void aWrongPasswordIsAccessDeniedNamingTheUserNeverThePassword() {
        RedshiftSource source = redshift.source(db.createUsersTable()).password(Secret.of(WRONG_PASSWORD)).build();

        assertThatThrownBy(source::check).isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("authentication failed for user " + redshift.postgres().user() + " on 127.0.0.1:" + redshift.port())
                .hasMessageContaining("check the user and password")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isFalse())
                .satisfies(e -> assertNoSecret(e, WRONG_PASSWORD));
        assertThatThrownBy(() -> source.read(new ReadRequest(null, FAR, 10))).isInstanceOf(CdiException.AccessDenied.class)
                .satisfies(e -> assertNoSecret(e, WRONG_PASSWORD));
        assertThat(source.toString()).doesNotContain(WRONG_PASSWORD);
        assertThat(source.toBuilder().build().toString()).doesNotContain(WRONG_PASSWORD);
    }

    @Test
    void aMissingGrantSaysWhichGrantToGive() {
        String table = db.createUsersTable();
        RedshiftSource source = redshift.source(table).user(RedshiftStandIn.READER).password(RedshiftStandIn.READER_PASSWORD).build();

        assertThatThrownBy(source::check).isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("missing grant: GRANT SELECT ON public." + table + " TO " + RedshiftStandIn.READER)
                .satisfies(e -> assertNoSecret(e, RedshiftStandIn.READER_PASSWORD.reveal()));
        assertThatThrownBy(() -> source.read(new ReadRequest(null, FAR, 10))).isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("GRANT SELECT ON public." + table + " TO " + RedshiftStandIn.READER);

        db.execute("GRANT SELECT ON " + table + " TO " + RedshiftStandIn.READER);
        source.check();
    }

    @Test
    void aMissingColumnIsAConfigurationErrorNamingItAndTheColumnsFound() {
        String table = TestDatabase.uniqueName("no_id");
        db.execute("CREATE TABLE " + table + " (UPDATED_AT TIMESTAMP, PAYLOAD VARCHAR(100), NOTE VARCHAR(10))");
        assertThatThrownBy(() -> redshift.source(table).build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("has none of the columns EXTERNAL_ID")
                .satisfies(e -> assertThat(e.getMessage().toUpperCase()).contains("COLUMNS FOUND: UPDATED_AT, PAYLOAD, NOTE"));

        String noTime = TestDatabase.uniqueName("no_time");
        db.execute("CREATE TABLE " + noTime + " (EXTERNAL_ID VARCHAR(10), PAYLOAD VARCHAR(100))");
        assertThatThrownBy(() -> redshift.source(noTime).build().read(new ReadRequest(null, FAR, 10)))
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("has no column UPDATED_AT");
    }

    @Test
    void anUpdatedAtThatIsNotATimestampIsAConfigurationError() {
        String table = TestDatabase.uniqueName("date_time");
        db.execute("CREATE TABLE " + table + " (UPDATED_AT DATE, EXTERNAL_ID VARCHAR(10))");
        assertThatThrownBy(() -> redshift.source(table).build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("UPDATED_AT must be a timestamp");
    }

    @Test
    void aMissingDatabaseIsAConfigurationError() {
        RedshiftSource source = redshift.source("users").database("no_such_db").build();
        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("the database does not exist")
                .satisfies(e -> assertNoSecret(e, redshift.postgres().password().reveal()));
    }

    @Test
    void aMissingTableFailsTheCheckNamingTheTableWithoutRetry() {
        // On Redshift the driver lists svv_tables and cdi-core says "table ... not found"; PostgreSQL cannot parse
        // that listing query (see RedshiftCatalog), so here only the outline of the failure can be checked.
        RedshiftSource source = redshift.source("no_such_table_here").build();
        assertThatThrownBy(source::check).isInstanceOf(CdiException.class).hasMessageContaining("no_such_table_here")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isFalse())
                .satisfies(e -> assertNoSecret(e, redshift.postgres().password().reveal()));
    }

    @Test
    void aClosedPortIsConnectionFailedNamingHostAndPortAndRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        RedshiftSource source = redshift.source("users").port(closedPort).connectTimeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConnectionFailed.class)
                .hasMessageContaining("cannot reach 127.0.0.1:" + closedPort)
                .hasMessageContaining("connection refused")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isTrue())
                .satisfies(e -> assertNoSecret(e, redshift.postgres().password().reveal()));
    }

    @Test
    void sslIsOnByDefaultAndAServerWithoutItIsAConfigurationError() {
        RedshiftSource source = RedshiftSource.builder().host("127.0.0.1").port(redshift.port()).database(RedshiftStandIn.DATABASE)
                .user(redshift.postgres().user()).password(redshift.postgres().password()).table("users").build();

        assertThat(source.toString()).contains("ssl=true");
        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("the server at 127.0.0.1:" + redshift.port() + " does not accept SSL connections")
                .hasMessageContaining("check the host and port")
                .satisfies(e -> assertNoSecret(e, redshift.postgres().password().reveal()));
    }

    @Test
    void theSourceDescribesItselfWithoutSecrets() {
        Secret password = Secret.of("pw-in-describe-4411");
        RedshiftSource source = RedshiftSource.builder().host("examplecluster.abc123.us-west-2.redshift.amazonaws.com")
                .database("dev").user("braze_cdi").password(password).table("braze.users_sync")
                .sshTunnel(SshTunnel.builder().host("bastion.example.com").user("cdi").privateKey(Secret.of("-----BEGIN KEY-----x"))
                        .passphrase(Secret.of("passphrase-9921")).build())
                .build();

        assertThat(source.describe()).isEqualTo("redshift table braze.users_sync on examplecluster.abc123.us-west-2.redshift"
                + ".amazonaws.com:5439/dev via SSH bastion bastion.example.com:22");
        assertThat(source.jdbcUrl()).isEqualTo("jdbc:redshift://examplecluster.abc123.us-west-2.redshift.amazonaws.com:5439/dev");
        assertThat(source.toString()).contains("user=braze_cdi", "ssl=true", "cdi@bastion.example.com:22")
                .doesNotContain("pw-in-describe-4411", "passphrase-9921", "BEGIN KEY");
    }

    @Test
    void theBuilderNamesWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> RedshiftSource.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("host is required");
        assertThatThrownBy(() -> RedshiftSource.builder().host("h").database("d").user("u").table("t").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("password is required");
        assertThatThrownBy(() -> RedshiftSource.builder().host("jdbc:redshift://h:5439/dev"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no scheme, port or path");
        assertThatThrownBy(() -> RedshiftSource.builder().port(0)).hasMessageContaining("port must be between 1 and 65535");
        assertThatThrownBy(() -> RedshiftSource.builder().driverProperty("Password", "x"))
                .hasMessageContaining("has its own setter");
        assertThatThrownBy(() -> SshTunnel.builder().host("b").user("u").build()).hasMessageContaining("private key is required");
        assertThatThrownBy(() -> SshTunnel.builder().hostKeyFingerprint("ab:cd")).hasMessageContaining("SHA256:");
    }
}
