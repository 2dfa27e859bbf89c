package io.cdisync.redshift;

import io.cdisync.braze.Secret;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach a Redshift cluster that is only reachable from inside its VPC: through an SSH bastion host,
 * as Braze's Redshift integration does. An immutable value; {@link RedshiftSource} opens the tunnel (a local
 * port forward on 127.0.0.1 to the cluster's host and port, resolved by the bastion) on its first connection
 * and closes it with the source.
 *
 * <pre>{@code
 * SshTunnel tunnel = SshTunnel.builder()
 *         .host("bastion.example.com")                 // port 22 unless set
 *         .user("cdi")
 *         .privateKeyFile(Path.of("/etc/cdi/bastion_key"))  // or privateKey(Secret.of(pemText))
 *         .hostKeyFingerprint("SHA256:q8tJ...")       // optional but recommended: `ssh-keygen -lf` of the bastion's host key
 *         .build();
 * }</pre>
 *
 * <p>Authentication is by public key only: put the public half of the key in the user's
 * {@code ~/.ssh/authorized_keys} on the bastion, and allow TCP forwarding there ({@code AllowTcpForwarding}).
 * Keys may be RSA or ECDSA in OpenSSH ({@code BEGIN OPENSSH PRIVATE KEY}), PKCS#8 ({@code BEGIN PRIVATE KEY})
 * or PKCS#1/SEC1 PEM, encrypted with a {@link Builder#passphrase passphrase} or not. Without a
 * {@link Builder#hostKeyFingerprint pinned host key} any bastion key is accepted and its fingerprint is logged,
 * which trusts the network path to the bastion.
 *
 * <p>{@code toString()} shows the bastion, the user and where the key comes from, never the key or the passphrase.
 */
public final class SshTunnel {
    /** The default SSH port. */
    public static final int DEFAULT_PORT = 22;
    private static final Pattern FINGERPRINT = Pattern.compile("(SHA256:[A-Za-z0-9+/]{43}=?|MD5(:[0-9a-fA-F]{2}){16})");

    private final String host;
    private final int port;
    private final String user;
    private final Secret privateKey;
    private final Path privateKeyFile;
    private final Secret passphrase;
    private final String hostKeyFingerprint;

    private SshTunnel(Builder builder) {
        this.host = builder.host;
        this.port = builder.port;
        this.user = builder.user;
        this.privateKey = builder.privateKey;
        this.privateKeyFile = builder.privateKeyFile;
        this.passphrase = builder.passphrase;
        this.hostKeyFingerprint = builder.hostKeyFingerprint;
    }

    /** A builder; {@code host}, {@code user} and a private key are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to derive a variant (e.g. a rotated key). */
    public Builder toBuilder() {
        Builder builder = new Builder().host(host).port(port).user(user);
        builder.privateKey = privateKey;
        builder.privateKeyFile = privateKeyFile;
        builder.passphrase = passphrase;
        builder.hostKeyFingerprint = hostKeyFingerprint;
        return builder;
    }

    /** The bastion's host name or address. */
    public String host() {
        return host;
    }

    /** The bastion's SSH port (default {@value #DEFAULT_PORT}). */
    public int port() {
        return port;
    }

    /** The user to log in to the bastion as. */
    public String user() {
        return user;
    }

    /** The private key's text, when given as text. */
    public Optional<Secret> privateKey() {
        return Optional.ofNullable(privateKey);
    }

    /** The file holding the private key, when given as a file; read each time the tunnel opens. */
    public Optional<Path> privateKeyFile() {
        return Optional.ofNullable(privateKeyFile);
    }

    /** The private key's passphrase, if it is encrypted. */
    public Optional<Secret> passphrase() {
        return Optional.ofNullable(passphrase);
    }

    /** The bastion's pinned host key fingerprint ({@code SHA256:...}), if any. */
    public Optional<String> hostKeyFingerprint() {
        return Optional.ofNullable(hostKeyFingerprint);
    }

    @Override
    public String toString() {
        return "SshTunnel{" + user + "@" + host + ":" + port + ", key=" + (privateKeyFile != null ? privateKeyFile : "****")
                + (passphrase != null ? ", passphrase=****" : "") + ", hostKey=" + (hostKeyFingerprint != null ? hostKeyFingerprint : "any") + "}";
    }

    /** Settings of an {@link SshTunnel}. */
    public static final class Builder {
        private String host;
        private int port = DEFAULT_PORT;
        private String user;
        private Secret privateKey;
        private Path privateKeyFile;
        private Secret passphrase;
        private String hostKeyFingerprint;

        private Builder() {
        }

        /** The bastion's host name or address (required). */
        public Builder host(String host) {
            this.host = RedshiftSource.checkHost(host, "ssh host");
            return this;
        }

        /** The bastion's SSH port (default {@value SshTunnel#DEFAULT_PORT}). */
        public Builder port(int port) {
            this.port = RedshiftSource.checkPort(port, "ssh port");
            return this;
        }

        /** The user to log in as (required). */
        public Builder user(String user) {
            Objects.requireNonNull(user, "ssh user");
            if (user.isBlank()) {
                throw new IllegalArgumentException("ssh user must not be blank");
            }
            this.user = user;
            return this;
        }

        /** The private key as PEM or OpenSSH text (required, or {@link #privateKeyFile}). Replaces a key file. */
        public Builder privateKey(Secret privateKey) {
            this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
            this.privateKeyFile = null;
            return this;
        }

        /** A file holding the private key (required, or {@link #privateKey}); read when the tunnel opens. Replaces a key text. */
        public Builder privateKeyFile(Path privateKeyFile) {
            this.privateKeyFile = Objects.requireNonNull(privateKeyFile, "privateKeyFile");
            this.privateKey = null;
            return this;
        }

        /** The passphrase of an encrypted private key (default: none). */
        public Builder passphrase(Secret passphrase) {
            this.passphrase = Objects.requireNonNull(passphrase, "passphrase");
            return this;
        }

        /**
         * Pins the bastion's host key: the tunnel refuses a bastion whose key has another fingerprint. Give it
         * as {@code ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub} prints it ({@code SHA256:} and 43
         * base64 characters) or in the older {@code MD5:xx:xx:...} form.
         *
         * @throws IllegalArgumentException when the fingerprint is not in one of those forms
         */
        public Builder hostKeyFingerprint(String fingerprint) {
            Objects.requireNonNull(fingerprint, "hostKeyFingerprint");
            String trimmed = fingerprint.strip();
            if (!FINGERPRINT.matcher(trimmed).matches()) {
                throw new IllegalArgumentException("hostKeyFingerprint must look like SHA256:<43 base64 characters> (as"
                        + " `ssh-keygen -lf <host key>.pub` prints it) or MD5:xx:xx:..., was '" + trimmed + "'");
            }
            this.hostKeyFingerprint = trimmed;
            return this;
        }

        /**
         * Builds the tunnel's settings; connects to nothing and reads no file yet.
         *
         * @throws IllegalStateException naming the first missing setting
         */
        public SshTunnel build() {
            if (host == null) {
                throw new IllegalStateException("ssh host is required");
            }
            if (user == null) {
                throw new IllegalStateException("ssh user is required");
            }
            if (privateKey == null && privateKeyFile == null) {
                throw new IllegalStateException("an ssh private key is required: privateKey(Secret) or privateKeyFile(Path)");
            }
            return new SshTunnel(this);
        }
    }
}
