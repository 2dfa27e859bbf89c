package io.cdisync.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the config-driven commands. */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE", required = true, description = "The YAML config file.")
    Path config;

    /** Loads the config and builds what it describes. */
    SyncSetup setup(CliContext context) {
        return new SyncSetup(CliConfig.load(config, context.env()));
    }
}
