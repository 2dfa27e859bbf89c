package io.cdisync.snowflake.internal;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.JdbcErrors;
import io.cdisync.core.jdbc.JdbcUrls;
import io.cdisync.snowflake.SnowflakeKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens Snowflake connections with key-pair (JWT) authentication: the private key is read here with the
 * JDK (a PEM text, or a file read again on every connection so a rotated key file takes effect without a
 * restart) and handed to the driver as a {@link PrivateKey} object, never as text in a property or URL.
 *
 * <p>Login failures are classified here, where they are still told apart by Snowflake's error code
 * (390xxx: the login was refused): {@link CdiException.AccessDenied} with what to check. Every other
 * failure goes back to the caller as the driver's {@link SQLException} for {@link JdbcErrors}.
 */
public final class SnowflakeConnections implements ConnectionFactory {
    private static final Logger log = LoggerFactory.getLogger(SnowflakeConnections.class);
    /** Snowflake's "JWT token is invalid": the signature matched no public key of the user. */
    private static final int JWT_INVALID = 390144;

    private final String url;
    private final String target;
    private final String account;
    private final String user;
    private final Secret privateKeyPem;
    private final Path privateKeyFile;
    private final Secret passphrase;
    private final Map<String, String> properties;
    private volatile CachedKey cached;

    /**
     * @param url            {@code jdbc:snowflake://host[:port]}
     * @param target         {@code host:port}, for messages
     * @param account        the account name for the JWT, or null to let the driver take it from the host
     * @param user           the login name
     * @param privateKeyPem  the key as PEM text, or null when {@code privateKeyFile} is given
     * @param privateKeyFile a PEM file, or null
     * @param passphrase     the key's passphrase, or null
     * @param properties     connection properties besides the credentials (warehouse, role, db, schema, ...)
     */
    public SnowflakeConnections(String url, String target, String account, String user, Secret privateKeyPem, Path privateKeyFile,
            Secret passphrase, Map<String, String> properties) {
        this.url = Objects.requireNonNull(url, "url");
        this.target = Objects.requireNonNull(target, "target");
        this.account = account;
        this.user = Objects.requireNonNull(user, "user");
        this.privateKeyPem = privateKeyPem;
        this.privateKeyFile = privateKeyFile;
        this.passphrase = passphrase;
        this.properties = Map.copyOf(properties);
        if ((privateKeyPem == null) == (privateKeyFile == null)) {
            throw new IllegalArgumentException("exactly one of privateKeyPem and privateKeyFile is required");
        }
    }

    @Override
    public Connection connect() throws SQLException {
        CachedKey key = privateKey();
        Properties info = new Properties();
        properties.forEach(info::setProperty);
        info.setProperty("user", user);
        info.setProperty("authenticator", "SNOWFLAKE_JWT");
        if (account != null) {
            info.setProperty("account", account);
        }
        info.put("privateKey", key.key());
        try {
            return DriverManager.getConnection(url, info);
        } catch (SQLException e) {
            if (e.getErrorCode() / 1000 == 390) {
                throw loginRefused(e, key.fingerprint());
            }
            throw e;
        }
    }

    /** Reads (and caches by content) the private key; the file is read again on each call. */
    private CachedKey privateKey() {
        String pem;
        if (privateKeyFile != null) {
            try {
                pem = Files.readString(privateKeyFile, StandardCharsets.US_ASCII);
            } catch (IOException | RuntimeException e) {
                throw new CdiException.ConfigurationError("privateKeyFile: cannot read " + privateKeyFile + " ("
                        + e.getClass().getSimpleName() + "); check the path and that this process may read it", null);
            }
        } else {
            pem = privateKeyPem.reveal();
        }
        CachedKey current = cached;
        if (current != null && current.pem().equals(pem)) {
            return current;
        }
        String setting = privateKeyFile != null ? "privateKeyFile " + privateKeyFile : "privateKey";
        PrivateKey key = PemKeys.read(pem, passphrase == null ? null : passphrase.reveal().toCharArray(), setting);
        CachedKey loaded = new CachedKey(pem, key, PemKeys.fingerprint(PemKeys.publicKeyOf(key)));
        cached = loaded;
        log.debug("loaded the private key of {} (public key fingerprint {})", user, loaded.fingerprint());
        return loaded;
    }

    private CdiException loginRefused(SQLException e, String fingerprint) {
        JdbcErrors errors = JdbcErrors.of(this);
        String detail = errors.detail(e);
        String quoted = quoteForMessage(user);
        if (e.getErrorCode() == JWT_INVALID) {
            return new CdiException.AccessDenied("Snowflake refused the key-pair login of user " + user + " on " + target + " ("
                    + detail + "): no public key of the user matches this private key (fingerprint " + fingerprint + "). Register"
                    + " it with ALTER USER " + quoted + " SET RSA_PUBLIC_KEY='<public key>'; (SnowflakeKeys.fromPrivateKey(...)"
                    + ".setPublicKeyStatement(user) prints it), compare DESC USER " + quoted + " (RSA_PUBLIC_KEY_FP,"
                    + " RSA_PUBLIC_KEY_2_FP) with the fingerprint, and check the account and user names", errors.sanitized(e));
        }
        return new CdiException.AccessDenied("Snowflake refused the login of user " + user + " on " + target + " (" + detail
                + ", error " + e.getErrorCode() + "): check the user and its key (ALTER USER " + quoted
                + " SET RSA_PUBLIC_KEY=...), and that the role, warehouse and database exist and are granted to the user",
                errors.sanitized(e));
    }

    private static String quoteForMessage(String user) {
        try {
            return SnowflakeKeys.quoteUser(user);
        } catch (IllegalArgumentException e) {
            return "<user>";
        }
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String redact(String text) {
        String redacted = JdbcUrls.redact(text);
        if (passphrase != null) {
            redacted = passphrase.redact(redacted);
        }
        return privateKeyPem == null ? redacted : privateKeyPem.redact(redacted);
    }

    @Override
    public String toString() {
        return "SnowflakeConnections{" + target + ", user=" + user + ", privateKey=****}";
    }

    /** The last key read, by its PEM text. */
    private record CachedKey(String pem, PrivateKey key, String fingerprint) {
        @Override
        public String toString() {
            return "CachedKey{" + fingerprint + "}";
        }
    }
}
