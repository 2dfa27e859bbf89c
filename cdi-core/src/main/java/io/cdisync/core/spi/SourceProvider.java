package io.cdisync.core.spi;

import java.util.Set;

/**
 * Builds a {@link SourceConnector} from text settings, for config-driven use (the {@code cdi} CLI).
 * Embedding code should build connectors directly with their builders; this exists so a config file
 * can name a source by {@code type}. Connector modules register an implementation with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.cdisync.core.spi.SourceProvider}).
 */
public interface SourceProvider {
    /** The {@code source.type} this provider answers to, e.g. {@code "redshift"}. */
    String type();

    /** The settings keys it accepts (besides {@code type}); any other key is a configuration error. */
    Set<String> keys();

    /**
     * Builds the connector.
     *
     * @throws io.cdisync.core.CdiException.ConfigurationError naming the key when a setting is missing or invalid
     */
    SourceConnector create(SourceSettings settings);
}
