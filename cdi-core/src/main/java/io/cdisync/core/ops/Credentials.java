package io.cdisync.core.ops;

import io.cdisync.braze.Secret;
import io.cdisync.core.jdbc.JdbcUrls;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Named credentials for a source, shared by any number of {@link Integration}s: a source type (as a
 * {@link io.cdisync.core.spi.SourceProvider} names it, e.g. {@code jdbc}, {@code snowflake}), plain
 * settings (URL, user, warehouse...) and secrets (password, private key, token). Secrets are
 * {@link Secret}s: they never print, and {@link #toString()} masks URL credentials too.
 *
 * <pre>{@code
 * Credentials warehouse = Credentials.builder().name("warehouse").type("jdbc")
 *         .setting("url", "jdbc:postgresql://db:5432/dw").setting("user", "braze")
 *         .secret("password", Secret.of(System.getenv("PG_PASSWORD")))
 *         .build();
 * }</pre>
 *
 * @param name     the name integrations refer to
 * @param type     the source type
 * @param settings plain settings, by key
 * @param secrets  secret settings, by key (no key is in both maps)
 */
public record Credentials(String name, String type, Map<String, String> settings, Map<String, Secret> secrets) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public Credentials {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("credentials name '" + name + "' must be 1-128 letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(type, "type");
        if (type.isBlank()) {
            throw new IllegalArgumentException("type must not be blank");
        }
        settings = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(settings, "settings")));
        secrets = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(secrets, "secrets")));
        settings.forEach((k, v) -> Objects.requireNonNull(v, "setting " + k));
        secrets.forEach((k, v) -> Objects.requireNonNull(v, "secret " + k));
        for (String key : secrets.keySet()) {
            if (settings.containsKey(key)) {
                throw new IllegalArgumentException("'" + key + "' is both a setting and a secret");
            }
        }
    }

    /** A builder; name and type are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these credentials (to rotate a secret, say). */
    public Builder toBuilder() {
        Builder builder = new Builder().name(name).type(type);
        builder.settings.putAll(settings);
        builder.secrets.putAll(secrets);
        return builder;
    }

    /** Settings and revealed secrets in one map, for building a source. Never log it. */
    public Map<String, String> revealAll() {
        Map<String, String> all = new TreeMap<>(settings);
        secrets.forEach((k, v) -> all.put(k, v.reveal()));
        return all;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        settings.forEach((k, v) -> {
            String masked = JdbcUrls.redact(v);
            for (Secret secret : secrets.values()) {
                masked = secret.redact(masked);
            }
            shown.put(k, masked);
        });
        secrets.keySet().forEach(k -> shown.put(k, "****"));
        return "Credentials{" + name + ", type=" + type + ", " + shown + "}";
    }

    /** Builds {@link Credentials}. */
    public static final class Builder {
        private final Map<String, String> settings = new TreeMap<>();
        private final Map<String, Secret> secrets = new TreeMap<>();
        private String name;
        private String type;

        private Builder() {
        }

        /** The name integrations refer to (required). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The source type, e.g. {@code jdbc} (required). */
        public Builder type(String type) {
            this.type = type;
            return this;
        }

        /** Adds or replaces a plain setting. */
        public Builder setting(String key, String value) {
            secrets.remove(key);
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
            return this;
        }

        /** Adds or replaces a secret. */
        public Builder secret(String key, Secret value) {
            settings.remove(key);
            secrets.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
            return this;
        }

        /** Builds the credentials. */
        public Credentials build() {
            return new Credentials(name, type, settings, secrets);
        }
    }
}
