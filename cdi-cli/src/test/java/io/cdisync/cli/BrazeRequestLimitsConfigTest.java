package io.cdisync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braze.objectsPerRequest} (plans that allow 50 objects per {@code /users/track} request) and
 * {@code braze.maxRequestBytes} (Braze's 4 MB body limit) reach the client the CLI builds, and bad values are
 * refused naming the key, the allowed range and the value.
 */
class BrazeRequestLimitsConfigTest {
    @TempDir
    Path dir;

    @Test
    void theClientTheCliBuildsCarriesTheSettings() throws Exception {
        Path database = CliFixture.table(dir, 1, false);
        Path config = CliFixture.config(dir, database, "http://127.0.0.1:1", "k", "",
                "  objectsPerRequest: 50\n  maxRequestBytes: 2000000");
        try (SyncSetup setup = new SyncSetup(CliConfig.load(config, Map.of()))) {
            assertThat(setup.braze.trackObjectsPerRequest()).isEqualTo(50);
            assertThat(setup.braze.maxRequestBytes()).isEqualTo(2_000_000);
        }
        Path defaults = CliFixture.config(dir, database, "http://127.0.0.1:1", "k", "", "");
        try (SyncSetup setup = new SyncSetup(CliConfig.load(defaults, Map.of()))) {
            assertThat(setup.braze.trackObjectsPerRequest()).isEqualTo(75);
            assertThat(setup.braze.maxRequestBytes()).isEqualTo(4_000_000);
        }
    }

    @Test
    void valuesOutsideBrazesLimitsAreRefusedNamingTheKey() throws Exception {
        refused("  objectsPerRequest: 76", "braze.objectsPerRequest: must be 1 to 75 (objects per /users/track request: 75,"
                + " or 50 on plans that allow that many combined), was 76");
        refused("  objectsPerRequest: 0", "braze.objectsPerRequest: must be at least 1, was 0");
        refused("  objectsPerRequest: fifty", "braze.objectsPerRequest: 'fifty' is not a whole number");
        refused("  maxRequestBytes: 4000001", "braze.maxRequestBytes: must be 1024 to 4000000 (Braze refuses request bodies"
                + " over 4 MB), was 4000001");
        refused("  maxRequestBytes: 1023", "braze.maxRequestBytes: must be 1024 to 4000000 (Braze refuses request bodies"
                + " over 4 MB), was 1023");
        refused("  maxRequestBytes: 4MB", "braze.maxRequestBytes: '4MB' is not a whole number");

        Path config = CliFixture.config(dir, CliFixture.table(dir, 1, false), "http://127.0.0.1:1", "k", "",
                "  objectsPerRequest: 100");
        CliFixture.Result result = CliFixture.run("sync", "--config", config.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("cdi sync: bad config: braze.objectsPerRequest: must be 1 to 75");
    }

    private void refused(String brazeLine, String message) throws Exception {
        Path config = CliFixture.config(dir, dir.resolve("x.duckdb"), "http://127.0.0.1:1", "k", "", brazeLine);
        assertThatThrownBy(() -> CliConfig.load(config, Map.of())).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
