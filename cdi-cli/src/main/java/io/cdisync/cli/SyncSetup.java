package io.cdisync.cli;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.ops.FileRunLog;
import io.cdisync.core.ops.Integration;
import io.cdisync.core.ops.IntegrationRunner;
import io.cdisync.core.ops.IntegrationState;
import io.cdisync.core.ops.RunLog;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.FileWatermarkStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Builds the library objects a config describes: source, Braze client, watermark store, runner. */
final class SyncSetup implements AutoCloseable {
    final CliConfig config;
    final SourceConnector source;
    final BrazeClient braze;
    final WatermarkStore store;
    final Path runLogDirectory;

    SyncSetup(CliConfig config) {
        this.config = config;
        this.store = store(config.state());
        this.runLogDirectory = config.state().get("type").equals("file") ? Path.of(config.state().get("path")) : null;
        this.source = source(config.source(), config.sync().dataType().name());
        BrazeClient.Builder client = BrazeClient.builder().endpoint(config.braze().endpoint()).apiKey(config.braze().apiKey());
        if (config.braze().maxRequestsInFlight() != null) {
            client.maxRequestsInFlight(config.braze().maxRequestsInFlight());
        }
        if (config.braze().objectsPerRequest() != null) {
            client.trackObjectsPerRequest(config.braze().objectsPerRequest());
        }
        if (config.braze().maxRequestBytes() != null) {
            client.maxRequestBytes(config.braze().maxRequestBytes());
        }
        this.braze = client.build();
    }

    SyncRunner runner(SyncListener listener) {
        CliConfig.Sync sync = config.sync();
        SyncRunner.Builder builder = SyncRunner.builder().syncId(sync.name()).dataType(sync.dataType()).source(source)
                .braze(braze).watermarkStore(store).listener(listener);
        tune(builder);
        if (sync.catalog() != null) {
            builder.catalog(sync.catalog());
        }
        return builder.build();
    }

    /** The config's run settings, shared by plain runs and operated runs. */
    private void tune(SyncRunner.Builder builder) {
        CliConfig.Sync sync = config.sync();
        builder.lookback(sync.lookback()).settleDelay(sync.settleDelay()).updateExistingOnly(sync.updateExistingOnly());
        if (sync.concurrency() != null) {
            builder.concurrency(sync.concurrency());
        }
        if (sync.maxRowsPerRun() != null) {
            builder.maxRowsPerRun(sync.maxRowsPerRun());
        }
    }

    /**
     * The run log (runs and failed rows, for {@code retry-failed}) in {@code runlog/} under the state directory;
     * null when the state is not kept in files.
     */
    RunLog runLog() {
        return runLogDirectory == null ? null : new FileRunLog(runLogDirectory.resolve("runlog"));
    }

    /** The config as an active integration, for the operating API (run log, retries). */
    Integration integration() {
        CliConfig.Sync sync = config.sync();
        String table = config.source().getOrDefault("table", config.source().getOrDefault("path", "(source)"));
        return Integration.builder().name(sync.name()).dataType(sync.dataType()).catalog(sync.catalog()).credentials("config")
                .table(table.isBlank() ? "(source)" : table).keepFailedRowPayloads(sync.keepFailedRowPayloads())
                .state(IntegrationState.ACTIVE).build();
    }

    /** Runs that record themselves in {@link #runLog()}. */
    IntegrationRunner operator(SyncListener listener) {
        return IntegrationRunner.builder().runLog(runLog()).braze(braze).watermarkStore(store).listener(listener)
                .tuning(this::tune).build();
    }

    /**
     * Source types on the class path, plus those in connector jars placed in a {@code plugins} directory
     * beside {@code cdi.jar} (or in the directories listed in {@code CDI_PLUGINS}): vendor drivers too large
     * to ship inside the jar (Snowflake, Databricks) are added that way.
     */
    static Map<String, SourceProvider> providers() {
        Map<String, SourceProvider> providers = new TreeMap<>();
        for (SourceProvider provider : ServiceLoader.load(SourceProvider.class, Plugins.classLoader())) {
            providers.putIfAbsent(provider.type(), provider);
        }
        return providers;
    }

    private static SourceConnector source(Map<String, String> values, String dataType) {
        String type = CliConfig.required(values, "source", "type");
        Map<String, SourceProvider> providers = providers();
        SourceProvider provider = providers.get(type);
        if (provider == null) {
            throw new ConfigException("source.type: unknown source type '" + type + "'; known types are " + providers.keySet());
        }
        Map<String, String> settings = new HashMap<>(values);
        settings.remove("type");
        for (String key : settings.keySet()) {
            if (!provider.keys().contains(key) || key.equals("dataType")) {
                throw new ConfigException("source." + key + ": unknown key for source type " + type + "; known keys are "
                        + new java.util.TreeSet<>(provider.keys()));
            }
        }
        settings.put("dataType", dataType); // set by the host, never by the user: the connection test checks its columns
        try {
            return provider.create(new SourceSettings("source", settings));
        } catch (CdiException.ConfigurationError e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static WatermarkStore store(Map<String, String> values) {
        String type = CliConfig.required(values, "state", "type");
        switch (type) {
            case "file" -> {
                for (String key : values.keySet()) {
                    if (!key.equals("type") && !key.equals("path")) {
                        throw new ConfigException("state." + key + ": unknown key for state type file; known keys are [path]");
                    }
                }
                return new FileWatermarkStore(Path.of(CliConfig.required(values, "state", "path")));
            }
            default -> throw new ConfigException("state.type: unknown state type '" + type + "'; known types are [file]");
        }
    }

    @Override
    public void close() {
        braze.close();
        source.close();
    }
}
