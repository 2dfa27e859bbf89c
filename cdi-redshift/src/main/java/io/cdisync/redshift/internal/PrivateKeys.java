package io.cdisync.redshift.internal;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.redshift.SshTunnel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Reads an SSH tunnel's private key with sshd's parsers (OpenSSH, PKCS#8, PKCS#1/SEC1 PEM; encrypted or
 * not). Failures become {@link CdiException.ConfigurationError}s that say which of "not a key", "encrypted
 * but no passphrase" and "wrong passphrase" it was; no message ever holds the key or the passphrase.
 */
final class PrivateKeys {
    private PrivateKeys() {
    }

    /** The tunnel's key pair (the first, if the text holds several). */
    static KeyPair load(SshTunnel tunnel) {
        String source = tunnel.privateKeyFile().map(p -> "the SSH private key file " + p).orElse("the SSH private key");
        byte[] text = tunnel.privateKeyFile().map(PrivateKeys::read)
                .orElseGet(() -> tunnel.privateKey().orElseThrow().reveal().getBytes(StandardCharsets.UTF_8));
        AskedFor passwords = new AskedFor(tunnel.passphrase().orElse(null));
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("ssh-private-key"),
                    new ByteArrayInputStream(text), passwords);
            Iterator<KeyPair> first = pairs == null ? null : pairs.iterator();
            if (first == null || !first.hasNext()) {
                throw notAKey(source, null);
            }
            return first.next();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof CdiException cdi) {
                throw cdi;
            }
            if (passwords.asked && passwords.passphrase == null) {
                throw new CdiException.ConfigurationError(source + " is encrypted: give its passphrase (sshPassphrase)", null);
            }
            if (passwords.asked) {
                throw new CdiException.ConfigurationError("cannot decrypt " + source + ": check the passphrase (sshPassphrase)", null);
            }
            throw notAKey(source, e);
        }
    }

    private static CdiException notAKey(String source, Exception e) {
        // The parser's message may quote the text it choked on: keep only the exception's type.
        String why = e == null ? "no key found" : e.getClass().getSimpleName();
        return new CdiException.ConfigurationError(source + " is not a private key sshd can read (" + why + "): give an RSA or"
                + " ECDSA key in OpenSSH (-----BEGIN OPENSSH PRIVATE KEY-----) or PEM (-----BEGIN PRIVATE KEY-----) form", null);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CdiException.ConfigurationError("cannot read the SSH private key file " + file + " ("
                    + e.getClass().getSimpleName() + "): check the path (sshPrivateKey) and that this process may read it", null);
        }
    }

    /** Hands sshd the passphrase and remembers whether the key asked for one. */
    private static final class AskedFor implements FilePasswordProvider {
        final Secret passphrase;
        volatile boolean asked;

        AskedFor(Secret passphrase) {
            this.passphrase = passphrase;
        }

        @Override
        public String getPassword(SessionContext session, NamedResource resourceKey, int retryIndex) {
            asked = true;
            return passphrase == null ? null : passphrase.reveal();
        }
    }
}
