package io.cdisync.core.jdbc;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Config-driven construction of {@link JdbcSource}s: {@code type: jdbc} (any database with a JDBC
 * driver on the class path) and {@code type: duckdb} (a DuckDB file). The host passes the sync's data
 * type as the {@code dataType} setting so the connection test checks the right columns.
 */
public final class JdbcSourceProviders {
    private JdbcSourceProviders() {
    }

    private static RequiredColumns required(SourceSettings settings) {
        String type = settings.optional("dataType").orElse(DataType.USER_ATTRIBUTES.name());
        return RequiredColumns.forDataType(DataType.valueOf(type.toUpperCase(Locale.ROOT)));
    }

    private static SqlDialect dialect(String url, Optional<String> name) {
        String dialect = name.orElseGet(() -> url.startsWith("jdbc:postgresql:") ? "postgres"
                : url.startsWith("jdbc:duckdb:") ? "duckdb" : "standard");
        return switch (dialect) {
            case "postgres" -> SqlDialect.postgres();
            case "duckdb" -> SqlDialect.duckdb();
            case "standard" -> SqlDialect.standard();
            default -> throw new CdiException.ConfigurationError("source.dialect: '" + dialect
                    + "' is not one of [standard, postgres, duckdb]");
        };
    }

    /** {@code type: jdbc} with {@code url}, {@code user}, {@code password}, {@code table}, optional {@code fetchSize}, {@code dialect}. */
    public static final class Jdbc implements SourceProvider {
        @Override
        public String type() {
            return "jdbc";
        }

        @Override
        public Set<String> keys() {
            return Set.of("url", "user", "password", "table", "fetchSize", "dialect", "dataType");
        }

        @Override
        public SourceConnector create(SourceSettings settings) {
            String url = settings.required("url");
            if (!url.startsWith("jdbc:")) {
                throw new CdiException.ConfigurationError("source.url: must be a JDBC URL starting with 'jdbc:'");
            }
            Optional<String> user = settings.optional("user");
            Optional<Secret> password = settings.optionalSecret("password");
            ConnectionFactory connections = user.isPresent()
                    ? ConnectionFactory.of(url, user.get(), password.orElseThrow(() ->
                            new CdiException.ConfigurationError("source.password: required when source.user is set")))
                    : ConnectionFactory.of(url);
            JdbcSource.Builder builder = JdbcSource.builder().connectionFactory(connections).table(settings.required("table"))
                    .dialect(dialect(url, settings.optional("dialect"))).requiredColumns(required(settings));
            settings.integer("fetchSize").ifPresent(builder::fetchSize);
            return builder.build();
        }
    }

    /** {@code type: duckdb} with {@code path} (a DuckDB database file) and {@code table}. */
    public static final class DuckDb implements SourceProvider {
        @Override
        public String type() {
            return "duckdb";
        }

        @Override
        public Set<String> keys() {
            return Set.of("path", "table", "fetchSize", "dataType");
        }

        @Override
        public SourceConnector create(SourceSettings settings) {
            String url = "jdbc:duckdb:" + settings.required("path");
            JdbcSource.Builder builder = JdbcSource.builder().connectionFactory(ConnectionFactory.of(url))
                    .table(settings.required("table")).dialect(SqlDialect.duckdb()).requiredColumns(required(settings));
            settings.integer("fetchSize").ifPresent(builder::fetchSize);
            return builder.build();
        }
    }
}
