package io.cdisync.redshift;

import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * {@code type: redshift} for config-driven use (the {@code cdi} CLI), registered with {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * source:
 *   type: redshift
 *   host: examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com
 *   port: 5439                 # default
 *   database: dev
 *   user: braze_cdi
 *   password: ${REDSHIFT_PASSWORD}
 *   table: braze.users_sync
 *   ssl: true                  # default
 *   fetchSize: 5000            # optional
 *   sshHost: bastion.example.com          # optional: tunnel through a bastion
 *   sshPort: 22
 *   sshUser: cdi
 *   sshPrivateKey: /etc/cdi/bastion_key   # a file
 *   sshPassphrase: ${KEY_PASSPHRASE}      # if the key is encrypted
 *   sshHostKeyFingerprint: SHA256:...     # optional: pin the bastion's host key
 * }</pre>
 * The host passes the sync's data type as {@code dataType}, so the check looks for the right columns.
 * Every error names the key to fix.
 */
public final class RedshiftSourceProvider implements SourceProvider {
    private static final Set<String> SSH_KEYS = Set.of("sshHost", "sshPort", "sshUser", "sshPrivateKey", "sshPassphrase",
            "sshHostKeyFingerprint");

    /** Used by {@link java.util.ServiceLoader}. */
    public RedshiftSourceProvider() {
    }

    /** {@code "redshift"}. */
    @Override
    public String type() {
        return "redshift";
    }

    /** The keys above; any other is a configuration error. */
    @Override
    public Set<String> keys() {
        return Set.of("host", "port", "database", "user", "password", "table", "ssl", "fetchSize", "sshHost", "sshPort", "sshUser",
                "sshPrivateKey", "sshPassphrase", "sshHostKeyFingerprint", "dataType");
    }

    /**
     * Builds a {@link RedshiftSource}, with an {@link SshTunnel} when any {@code ssh*} key is given; connects to
     * nothing yet (the key file must exist and be readable now, and is read when the tunnel opens).
     *
     * @throws CdiException.ConfigurationError naming the key that is missing or invalid
     */
    @Override
    public SourceConnector create(SourceSettings settings) {
        RedshiftSource.Builder builder = RedshiftSource.builder();
        set(settings, "host", () -> builder.host(settings.required("host")));
        settings.integer("port").ifPresent(port -> set(settings, "port", () -> builder.port(port)));
        set(settings, "database", () -> builder.database(settings.required("database")));
        set(settings, "user", () -> builder.user(settings.required("user")));
        builder.password(settings.secret("password"));
        set(settings, "table", () -> builder.table(settings.required("table")));
        settings.bool("ssl").ifPresent(builder::ssl);
        settings.integer("fetchSize").ifPresent(size -> set(settings, "fetchSize", () -> builder.fetchSize(size)));
        settings.optional("dataType").ifPresent(type -> set(settings, "dataType", () -> builder.dataType(dataType(type))));
        if (SSH_KEYS.stream().anyMatch(key -> settings.optional(key).isPresent())) {
            builder.sshTunnel(tunnel(settings));
        }
        return builder.build();
    }

    private static SshTunnel tunnel(SourceSettings settings) {
        SshTunnel.Builder tunnel = SshTunnel.builder();
        String host = settings.optional("sshHost").orElseThrow(() -> new CdiException.ConfigurationError(
                settings.prefix() + ".sshHost: required when any other ssh* setting is given"));
        set(settings, "sshHost", () -> tunnel.host(host));
        settings.integer("sshPort").ifPresent(port -> set(settings, "sshPort", () -> tunnel.port(port)));
        set(settings, "sshUser", () -> tunnel.user(settings.required("sshUser")));
        String keyFile = settings.required("sshPrivateKey");
        Path path;
        try {
            path = Path.of(keyFile);
        } catch (InvalidPathException e) {
            throw new CdiException.ConfigurationError(settings.prefix() + ".sshPrivateKey: not a file path");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new CdiException.ConfigurationError(settings.prefix() + ".sshPrivateKey: no readable file at " + path
                    + " (give the path of the private key file)");
        }
        tunnel.privateKeyFile(path);
        settings.optionalSecret("sshPassphrase").ifPresent(tunnel::passphrase);
        settings.optional("sshHostKeyFingerprint").ifPresent(fp -> set(settings, "sshHostKeyFingerprint", () -> tunnel.hostKeyFingerprint(fp)));
        return tunnel.build();
    }

    private static DataType dataType(String value) {
        try {
            return DataType.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not one of " + Arrays.toString(DataType.values()));
        }
    }

    /** Runs a builder call, turning its IllegalArgumentException into a configuration error naming the key. */
    private static void set(SourceSettings settings, String key, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            throw new CdiException.ConfigurationError(settings.prefix() + "." + key + ": " + e.getMessage());
        }
    }
}
