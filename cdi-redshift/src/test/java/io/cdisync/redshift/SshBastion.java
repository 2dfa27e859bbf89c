package io.cdisync.redshift;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;

/**
 * A real SSH server on a free port of 127.0.0.1 (Apache MINA sshd), playing a bastion host: it lets one user in
 * with one public key (no password, no shell) and forwards TCP connections ({@code direct-tcpip}) when allowed,
 * recording where to. Its host key is made fresh for each bastion. Plus helpers that make client keys and write
 * them as a user would have them on disk.
 */
final class SshBastion implements AutoCloseable {
    private final SshServer server;
    private final KeyPair hostKey;
    private final List<String> forwardedTo = new CopyOnWriteArrayList<>();

    private SshBastion(SshServer server, KeyPair hostKey) {
        this.server = server;
        this.hostKey = hostKey;
    }

    /** Starts a bastion that lets {@code user} in with {@code authorizedKey} and forwards when {@code forwarding}. */
    static SshBastion start(String user, PublicKey authorizedKey, boolean forwarding) {
        KeyPair hostKey = ecKeyPair();
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator((name, key, session) -> name.equals(user) && KeyUtils.compareKeys(key, authorizedKey));
        SshBastion bastion = new SshBastion(server, hostKey);
        TcpForwardingFilter tcp = new TcpForwardingFilter() {
            @Override
            public boolean canListen(SshdSocketAddress address, Session session) {
                return false;
            }

            @Override
            public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                bastion.forwardedTo.add(address.getHostName() + ":" + address.getPort());
                return forwarding;
            }
        };
        server.setForwardingFilter(ForwardingFilter.asForwardingFilter(RejectAllForwardingFilter.INSTANCE,
                RejectAllForwardingFilter.INSTANCE, tcp));
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bastion;
    }

    /** The SSH port on 127.0.0.1. */
    int port() {
        return server.getPort();
    }

    /** The host key's fingerprint, as {@code ssh-keygen -lf} prints it. */
    String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostKey.getPublic());
    }

    /** Sessions currently open. */
    int openSessions() {
        return server.getActiveSessions().size();
    }

    /** Hangs up on every client, as a restarted bastion would. */
    void dropSessions() {
        server.getActiveSessions().forEach(session -> session.close(true));
    }

    /** Every {@code host:port} a client asked to be forwarded to, allowed or not. */
    List<String> forwardedTo() {
        return List.copyOf(forwardedTo);
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** An RSA 2048 key pair, the most common kind of bastion key. */
    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An ECDSA P-256 key pair. */
    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as an unencrypted PKCS#8 PEM file holds it ({@code -----BEGIN PRIVATE KEY-----}). */
    static String pkcs8Pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** The key in OpenSSH's format, encrypted with {@code passphrase} (AES-256 and bcrypt), as {@code ssh-keygen -N} writes it. */
    static String openSshEncrypted(KeyPair pair, String passphrase) {
        OpenSSHKeyEncryptionContext encryption = new OpenSSHKeyEncryptionContext();
        encryption.setPassword(passphrase);
        encryption.setCipherName("AES");
        encryption.setCipherType("256");
        encryption.setKdfRounds(4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "cdi-test", encryption, out);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
