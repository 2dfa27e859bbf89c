package io.cdisync.databricks;

import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import java.util.Locale;
import java.util.Set;

/**
 * {@code type: databricks} for config-driven use (the CLI), registered with {@link java.util.ServiceLoader}.
 * Keys: {@code host} (a host name, or an {@code https://} URL), {@code httpPath}, {@code token},
 * {@code catalog}, {@code schema}, {@code table}, {@code fetchSize}, {@code warmupTimeout} (ISO-8601,
 * e.g. {@code PT6M}), and {@code dataType} (passed by the host).
 */
public final class DatabricksSourceProvider implements SourceProvider {
    /** For {@link java.util.ServiceLoader}. */
    public DatabricksSourceProvider() {
    }

    @Override
    public String type() {
        return "databricks";
    }

    @Override
    public Set<String> keys() {
        return Set.of("host", "httpPath", "token", "catalog", "schema", "table", "fetchSize", "warmupTimeout", "dataType");
    }

    /**
     * Builds a {@link DatabricksSource}.
     *
     * @throws CdiException.ConfigurationError naming the key when a setting is missing or invalid
     */
    @Override
    public SourceConnector create(SourceSettings settings) {
        DatabricksSource.Builder builder = DatabricksSource.builder();
        try {
            String host = settings.required("host");
            if (host.contains("://")) {
                builder.url(host);
            } else {
                builder.host(host);
            }
            builder.httpPath(settings.required("httpPath"))
                    .token(settings.secret("token"))
                    .catalog(settings.required("catalog"))
                    .schema(settings.required("schema"))
                    .table(settings.required("table"));
            settings.integer("fetchSize").ifPresent(builder::fetchSize);
            settings.duration("warmupTimeout").ifPresent(builder::warmupTimeout);
            String type = settings.optional("dataType").orElse(DataType.USER_ATTRIBUTES.name());
            builder.dataType(DataType.valueOf(type.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new CdiException.ConfigurationError("source: " + e.getMessage());
        }
        return builder.build();
    }
}
