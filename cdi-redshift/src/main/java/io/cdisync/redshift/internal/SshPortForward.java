package io.cdisync.redshift.internal;

import io.cdisync.core.CdiException;
import io.cdisync.redshift.SshTunnel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open SSH tunnel: one SSH session to the bastion (public-key auth only) carrying a local port forward from
 * an ephemeral port of 127.0.0.1 to the cluster's host and port, which the bastion resolves and connects to.
 * Every JDBC connection of the source goes through it as its own SSH channel. Closed with the source.
 *
 * <p>The client ignores {@code ~/.ssh} (no config file, no default identities, no known_hosts): what it does is
 * exactly what the {@link SshTunnel} says. A keep-alive every 30 s (three unanswered end the session) lets a dead
 * session be noticed, so the next connection opens a new tunnel.
 */
public final class SshPortForward implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SshPortForward.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);

    private final SshClient client;
    private final ClientSession session;
    private final ExplicitPortForwardingTracker forward;
    private final String description;

    private SshPortForward(SshClient client, ClientSession session, ExplicitPortForwardingTracker forward, String description) {
        this.client = client;
        this.session = session;
        this.forward = forward;
        this.description = description;
    }

    /**
     * Connects to the bastion, logs in and starts forwarding. Blocks for at most about {@code 2 * timeout}.
     *
     * @throws CdiException.ConnectionFailed   when the bastion cannot be reached or does not answer in time
     * @throws CdiException.AccessDenied       when the bastion refuses the user or the key
     * @throws CdiException.ConfigurationError for an unreadable key, a wrong passphrase, or a host key that
     *                                         does not match the pinned fingerprint
     */
    public static SshPortForward open(SshTunnel tunnel, String remoteHost, int remotePort, Duration timeout) {
        KeyPair key = PrivateKeys.load(tunnel);
        String bastion = tunnel.host() + ":" + tunnel.port();
        HostKeyCheck hostKeys = new HostKeyCheck(bastion, tunnel.hostKeyFingerprint().orElse(null));
        SshClient client = SshClient.setUpDefaultClient();
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setServerKeyVerifier(hostKeys);
        // Keep-alive requests that want a reply (as OpenSSH's ServerAliveInterval): three unanswered close the session.
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, HEARTBEAT);
        CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
        client.start();
        ClientSession session = null;
        try {
            try {
                session = client.connect(tunnel.user(), tunnel.host(), tunnel.port()).verify(timeout).getSession();
            } catch (IOException e) {
                throw unreachable(bastion, e);
            }
            session.addPublicKeyIdentity(key);
            try {
                session.auth().verify(timeout);
            } catch (IOException e) {
                if (hostKeys.mismatch != null) {
                    throw new CdiException.ConfigurationError("the SSH bastion " + bastion + " presented host key " + hostKeys.mismatch
                            + ", not the pinned " + tunnel.hostKeyFingerprint().orElseThrow() + ": if the bastion's key was"
                            + " changed, update the pinned fingerprint (sshHostKeyFingerprint); otherwise something between"
                            + " here and the bastion is intercepting the connection", null);
                }
                if (isTimeout(e)) {
                    throw unreachable(bastion, e);
                }
                throw new CdiException.AccessDenied("the SSH bastion " + bastion + " refused user " + tunnel.user()
                        + " with key " + KeyUtils.getFingerPrint(key.getPublic()) + ": add the key's public half to ~"
                        + tunnel.user() + "/.ssh/authorized_keys on the bastion, or check the user (sshUser) and the key"
                        + " (sshPrivateKey)", e);
            }
            ExplicitPortForwardingTracker forward = session.createLocalPortForwardingTracker(
                    new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(remoteHost, remotePort));
            String description = "127.0.0.1:" + forward.getBoundAddress().getPort() + " -> " + remoteHost + ":" + remotePort
                    + " via " + tunnel.user() + "@" + bastion;
            log.info("opened SSH tunnel {}", description);
            return new SshPortForward(client, session, forward, description);
        } catch (IOException e) {
            stopQuietly(client, session);
            throw new CdiException.ConnectionFailed("cannot forward a port through the SSH bastion " + bastion + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "): check that it allows TCP forwarding", e);
        } catch (RuntimeException e) {
            stopQuietly(client, session);
            throw e;
        }
    }

    /** The forward's port on 127.0.0.1. */
    public int localPort() {
        return forward.getBoundAddress().getPort();
    }

    /** False once the session or the forward has closed (the bastion hung up, keep-alives went unanswered, or {@link #close}). */
    public boolean isOpen() {
        return session.isOpen() && forward.isOpen();
    }

    /** Stops forwarding and closes the session; connections still using the tunnel break. */
    @Override
    public void close() {
        try {
            forward.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing the port forward failed: {}", e.getClass().getSimpleName());
        }
        stopQuietly(client, session);
        log.info("closed SSH tunnel {}", description);
    }

    @Override
    public String toString() {
        return "SshPortForward{" + description + (isOpen() ? "" : ", closed") + "}";
    }

    private static CdiException unreachable(String bastion, IOException e) {
        String reason = isTimeout(e) ? "no answer in time" : hasCause(e, UnknownHostException.class) ? "unknown host"
                : hasCause(e, ConnectException.class) ? "connection refused"
                : hasCause(e, NoRouteToHostException.class) ? "no route to host" : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new CdiException.ConnectionFailed("cannot reach the SSH bastion " + bastion + ": " + reason
                + "; check the bastion's host and port (sshHost, sshPort) and that it accepts connections from this machine", e);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException || message.contains("timeout")
                    || message.contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void stopQuietly(SshClient client, ClientSession session) {
        if (session != null) {
            try {
                session.close(true);
            } catch (RuntimeException e) {
                log.debug("closing the SSH session failed: {}", e.getClass().getSimpleName());
            }
        }
        try {
            client.stop();
        } catch (RuntimeException e) {
            log.debug("stopping the SSH client failed: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * Accepts the bastion's host key when it matches the pinned fingerprint, or any key (logging its
     * fingerprint so it can be pinned) when none is pinned.
     */
    private static final class HostKeyCheck implements ServerKeyVerifier {
        private final String bastion;
        private final String pinned;
        volatile String mismatch;

        HostKeyCheck(String bastion, String pinned) {
            this.bastion = bastion;
            this.pinned = pinned;
        }

        @Override
        public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
            if (pinned == null) {
                log.info("SSH bastion {} has host key {}; pin it (hostKeyFingerprint) to refuse any other",
                        bastion, KeyUtils.getFingerPrint(key));
                return true;
            }
            if (Boolean.TRUE.equals(KeyUtils.checkFingerPrint(pinned, key).getKey())) {
                return true;
            }
            mismatch = KeyUtils.getFingerPrint(key);
            log.warn("SSH bastion {} presented host key {}, not the pinned {}: refusing it", bastion, mismatch, pinned);
            return false;
        }
    }
}
