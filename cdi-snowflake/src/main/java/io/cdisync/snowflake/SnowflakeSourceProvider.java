package io.cdisync.snowflake;

import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * {@code type: snowflake} for config-driven use (the CLI), registered with {@link java.util.ServiceLoader}.
 * Keys: {@code account} or {@code url}, {@code user}, {@code privateKey} (a path to a PKCS#8 PEM file),
 * {@code privateKeyPassphrase}, {@code warehouse}, {@code role}, {@code database}, {@code schema},
 * {@code table}, {@code fetchSize}, and {@code dataType} (passed by the host).
 */
public final class SnowflakeSourceProvider implements SourceProvider {
    /** For {@link java.util.ServiceLoader}. */
    public SnowflakeSourceProvider() {
    }

    @Override
    public String type() {
        return "snowflake";
    }

    @Override
    public Set<String> keys() {
        return Set.of("account", "url", "user", "privateKey", "privateKeyPassphrase", "warehouse", "role", "database", "schema",
                "table", "fetchSize", "dataType");
    }

    /**
     * Builds a {@link SnowflakeSource}.
     *
     * @throws CdiException.ConfigurationError naming the key when a setting is missing or invalid
     */
    @Override
    public SourceConnector create(SourceSettings settings) {
        SnowflakeSource.Builder builder = SnowflakeSource.builder();
        try {
            settings.optional("account").ifPresent(builder::account);
            settings.optional("url").ifPresent(builder::url);
            if (settings.optional("account").isEmpty() && settings.optional("url").isEmpty()) {
                settings.required("account");
            }
            builder.user(settings.required("user"))
                    .privateKeyFile(Path.of(settings.required("privateKey")))
                    .database(settings.required("database"))
                    .schema(settings.required("schema"))
                    .table(settings.required("table"));
            settings.optionalSecret("privateKeyPassphrase").ifPresent(builder::privateKeyPassphrase);
            settings.optional("warehouse").ifPresent(builder::warehouse);
            settings.optional("role").ifPresent(builder::role);
            settings.integer("fetchSize").ifPresent(builder::fetchSize);
            String type = settings.optional("dataType").orElse(DataType.USER_ATTRIBUTES.name());
            builder.dataType(DataType.valueOf(type.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new CdiException.ConfigurationError("source: " + e.getMessage());
        }
        return builder.build();
    }
}
