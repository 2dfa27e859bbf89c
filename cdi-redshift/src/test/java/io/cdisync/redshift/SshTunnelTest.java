package io.cdisync.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.jdbc.TestDatabase.UserRow;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.store.InMemoryWatermarkStore;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.FakeBraze;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH tunnel against a real SSH server ({@link SshBastion}, MINA sshd on 127.0.0.1) that forwards to the relay:
 * the source connects to the "cluster" at 127.0.0.1:relay as the bastion sees it, through a local forward.
 */
@ExtendWith({RedshiftStandIn.class, CdiTestExtension.class})
class SshTunnelTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
    static final String USER = "cdi";
    static final KeyPair KEY = SshBastion.rsaKeyPair();

    final RedshiftStandIn redshift = RedshiftStandIn.shared();
    final TestDatabase db = redshift.database();
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    SshBastion bastion(KeyPair authorized, boolean forwarding) {
        SshBastion bastion = SshBastion.start(USER, authorized.getPublic(), forwarding);
        open.add(bastion);
        return bastion;
    }

    /** A source whose "cluster" is the relay as seen from the bastion, tunnelled with {@code tunnel}. */
    RedshiftSource source(String table, SshTunnel tunnel) {
        RedshiftSource source = redshift.source(table).sshTunnel(tunnel).connectTimeout(Duration.ofSeconds(10)).build();
        open.add(source);
        return source;
    }

    static SshTunnel.Builder tunnel(SshBastion bastion, KeyPair key) {
        return SshTunnel.builder().host("127.0.0.1").port(bastion.port()).user(USER).privateKey(Secret.of(SshBastion.pkcs8Pem(key)));
    }

    String usersTable(int rows) {
        String table = db.createUsersTable();
        List<UserRow> list = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            list.add(new UserRow(T0.plusSeconds(i), "u" + i, "{\"i\":" + i + "}"));
        }
        db.insertUsers(table, list);
        return table;
    }

    @Test
    void aSyncRunsThroughTheTunnelWhichClosesWithTheSourceAndReopens(FakeBraze braze, BrazeClient client) {
        SshBastion bastion = bastion(KEY, true);
        String table = usersTable(250);
        RedshiftSource source = source(table, tunnel(bastion, KEY).hostKeyFingerprint(bastion.hostKeyFingerprint()).build());
        assertThat(bastion.openSessions()).isZero();

        source.check();
        SyncReport report = SyncRunner.builder().syncId("tunnelled").source(source).braze(client)
                .watermarkStore(new InMemoryWatermarkStore()).clock(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC))
                .fetchSize(100).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(report.rowsDelivered()).isEqualTo(250);
        assertThat(braze.attributes()).hasSize(250);
        assertThat(bastion.forwardedTo()).isNotEmpty().allMatch(target -> target.equals("127.0.0.1:" + redshift.port()));
        assertThat(bastion.openSessions()).as("one SSH session, kept between reads").isEqualTo(1);

        source.close();
        awaitSessions(bastion, 0);

        try (RowStream stream = source.read(new ReadRequest(null, FAR, 1000))) {
            assertThat(stream.nextBatch().size()).isEqualTo(250);
        }
        assertThat(bastion.openSessions()).as("reopened on the next read").isEqualTo(1);

        bastion.dropSessions();
        try (RowStream stream = source.read(new ReadRequest(null, FAR, 1000))) {
            assertThat(stream.nextBatch().size()).as("a tunnel the bastion dropped is opened again").isEqualTo(250);
        }
        assertThat(bastion.openSessions()).isEqualTo(1);
    }

    @Test
    void aKeyTheBastionDoesNotKnowIsRefusedSayingWhatToFix() {
        SshBastion bastion = bastion(KEY, true);
        KeyPair stranger = SshBastion.rsaKeyPair();
        String pem = SshBastion.pkcs8Pem(stranger);
        RedshiftSource source = source(usersTable(1), tunnel(bastion, stranger).build());

        assertThatThrownBy(source::check).isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("the SSH bastion 127.0.0.1:" + bastion.port() + " refused user " + USER)
                .hasMessageContaining(KeyUtils.getFingerPrint(stranger.getPublic()))
                .hasMessageContaining("authorized_keys")
                .satisfies(e -> RedshiftErrorsTest.assertNoSecret(e, pem.lines().skip(1).findFirst().orElseThrow()));
        assertThat(bastion.forwardedTo()).isEmpty();
    }

    @Test
    void anEncryptedKeyOpensWithItsPassphraseAndOnlyWithIt() {
        SshBastion bastion = bastion(KEY, true);
        String table = usersTable(3);
        String encrypted = SshBastion.openSshEncrypted(KEY, "correct horse 42");
        SshTunnel.Builder tunnel = tunnel(bastion, KEY).privateKey(Secret.of(encrypted));

        source(table, tunnel.passphrase(Secret.of("correct horse 42")).build()).check();

        assertThatThrownBy(() -> source(table, tunnel.passphrase(Secret.of("wrong horse 17")).build()).check())
                .isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessage("cannot decrypt the SSH private key: check the passphrase (sshPassphrase)");
        SshTunnel noPassphrase = SshTunnel.builder().host("127.0.0.1").port(bastion.port()).user(USER).privateKey(Secret.of(encrypted)).build();
        assertThatThrownBy(() -> source(table, noPassphrase).check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessage("the SSH private key is encrypted: give its passphrase (sshPassphrase)");
    }

    @Test
    void anEcdsaKeyReadFromAFileWorks(@TempDir Path dir) throws IOException {
        KeyPair ec = SshBastion.ecKeyPair();
        SshBastion bastion = bastion(ec, true);
        Path file = Files.writeString(dir.resolve("id_ecdsa"), SshBastion.openSshEncrypted(ec, "pp"));
        RedshiftSource source = source(usersTable(2), SshTunnel.builder().host("127.0.0.1").port(bastion.port()).user(USER)
                .privateKeyFile(file).passphrase(Secret.of("pp")).build());

        source.check();
        assertThat(source.toString()).contains("key=" + file);

        Files.writeString(file, "not a key");
        source.close();
        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageStartingWith("the SSH private key file " + file + " is not a private key sshd can read");
    }

    @Test
    void aBastionWithAnotherHostKeyThanThePinnedOneIsRefused() {
        SshBastion bastion = bastion(KEY, true);
        String pinned = KeyUtils.getFingerPrint(SshBastion.ecKeyPair().getPublic());
        RedshiftSource source = source(usersTable(1), tunnel(bastion, KEY).hostKeyFingerprint(pinned).build());

        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("presented host key " + bastion.hostKeyFingerprint() + ", not the pinned " + pinned)
                .hasMessageContaining("sshHostKeyFingerprint");
        assertThat(bastion.forwardedTo()).isEmpty();
    }

    @Test
    void anUnreachableBastionIsConnectionFailedNamingIt() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        RedshiftSource source = source(usersTable(1), SshTunnel.builder().host("127.0.0.1").port(closedPort).user(USER)
                .privateKey(Secret.of(SshBastion.pkcs8Pem(KEY))).build());

        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConnectionFailed.class)
                .hasMessageContaining("cannot reach the SSH bastion 127.0.0.1:" + closedPort + ": connection refused")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isTrue());
    }

    @Test
    void aBastionThatForbidsForwardingLeavesTheClusterUnreachableThroughIt() {
        SshBastion bastion = bastion(KEY, false);
        RedshiftSource source = source(usersTable(1), tunnel(bastion, KEY).build());

        assertThatThrownBy(source::check).isInstanceOf(CdiException.ConnectionFailed.class)
                .hasMessageContaining("cannot reach 127.0.0.1:" + redshift.port() + " via SSH bastion 127.0.0.1:" + bastion.port())
                .satisfies(e -> RedshiftErrorsTest.assertNoSecret(e, redshift.postgres().password().reveal()));
        assertThat(bastion.forwardedTo()).containsOnly("127.0.0.1:" + redshift.port());
    }

    private static void awaitSessions(SshBastion bastion, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (bastion.openSessions() != expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(bastion.openSessions()).isEqualTo(expected);
    }
}
