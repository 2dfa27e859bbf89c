package io.cdisync.core.spi;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A source's settings as text (from a config file), with typed accessors whose errors name the key.
 * Values of secret keys never print: {@code toString()} masks them.
 *
 * @param prefix how keys are named in errors (e.g. {@code "source"})
 */
public record SourceSettings(String prefix, Map<String, String> values) {
    public SourceSettings {
        Objects.requireNonNull(prefix, "prefix");
        values = Map.copyOf(values);
    }

    /** A required value. */
    public String required(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new CdiException.ConfigurationError(name(key) + ": required");
        }
        return value;
    }

    /** An optional value. */
    public Optional<String> optional(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** A required secret. */
    public Secret secret(String key) {
        return Secret.of(required(key));
    }

    /** An optional secret. */
    public Optional<Secret> optionalSecret(String key) {
        return optional(key).map(Secret::of);
    }

    /** An optional whole number. */
    public Optional<Integer> integer(String key) {
        return optional(key).map(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new CdiException.ConfigurationError(name(key) + ": '" + v + "' is not a whole number");
            }
        });
    }

    /** An optional ISO-8601 duration such as {@code PT10M}. */
    public Optional<Duration> duration(String key) {
        return optional(key).map(v -> {
            try {
                return Duration.parse(v.trim());
            } catch (DateTimeParseException e) {
                throw new CdiException.ConfigurationError(name(key) + ": '" + v + "' is not an ISO-8601 duration such as PT10M");
            }
        });
    }

    /** An optional boolean ({@code true}/{@code false}). */
    public Optional<Boolean> bool(String key) {
        return optional(key).map(v -> switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new CdiException.ConfigurationError(name(key) + ": '" + v + "' is not true or false");
        });
    }

    private String name(String key) {
        return prefix + "." + key;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((k, v) -> shown.put(k, looksSecret(k) ? "****" : masked(v)));
        return "SourceSettings{" + prefix + "=" + shown + "}";
    }

    /** A value with every secret value and URL credential masked (a URL may repeat the password). */
    private String masked(String value) {
        String result = io.cdisync.core.jdbc.JdbcUrls.redact(value);
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (looksSecret(entry.getKey()) && entry.getValue() != null && !entry.getValue().isEmpty()) {
                result = result.replace(entry.getValue(), "****");
            }
        }
        return result;
    }

    private static boolean looksSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.contains("key")
                || k.contains("credential");
    }
}
