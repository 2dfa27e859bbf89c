package io.cdisync.core.ops;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Opens the {@link SourceConnector} of an integration from its {@link Credentials} and table, for
 * {@link IntegrationRunner#run(String)}. The runner closes the connector after the run.
 *
 * <p>Hosts that build connectors in code implement it with a switch on {@link Credentials#type()};
 * {@link #fromProviders(ClassLoader)} builds them from the {@link SourceProvider}s on the class path.
 */
@FunctionalInterface
public interface SourceFactory {
    /**
     * The integration's source.
     *
     * @throws CdiException.ConfigurationError when the credentials do not describe a usable source
     */
    SourceConnector open(Integration integration, Credentials credentials);

    /**
     * Sources from the {@link SourceProvider}s visible to {@code loader}: the provider whose
     * {@link SourceProvider#type()} is the credentials' type gets the credentials' settings and revealed
     * secrets, plus {@code table} (the integration's) and {@code dataType}. A credentials key the provider does
     * not know is a configuration error naming it.
     */
    static SourceFactory fromProviders(ClassLoader loader) {
        return (integration, credentials) -> {
            Map<String, SourceProvider> providers = new TreeMap<>();
            for (SourceProvider provider : ServiceLoader.load(SourceProvider.class, loader)) {
                providers.putIfAbsent(provider.type(), provider);
            }
            SourceProvider provider = providers.get(credentials.type());
            if (provider == null) {
                throw new CdiException.ConfigurationError("credentials " + credentials.name() + ": unknown source type '"
                        + credentials.type() + "'; known types are " + providers.keySet());
            }
            for (String key : credentials.revealAll().keySet()) {
                if (!provider.keys().contains(key) || key.equals("table") || key.equals("dataType")) {
                    throw new CdiException.ConfigurationError("credentials " + credentials.name() + ": '" + key
                            + "' is not a setting of source type " + credentials.type() + "; its settings are "
                            + new TreeSet<>(provider.keys()) + " (table and dataType come from the integration)");
                }
            }
            Map<String, String> settings = new HashMap<>(credentials.revealAll());
            settings.put("table", integration.table());
            settings.put("dataType", integration.dataType().name());
            return provider.create(new SourceSettings("credentials " + credentials.name(), settings));
        };
    }
}
