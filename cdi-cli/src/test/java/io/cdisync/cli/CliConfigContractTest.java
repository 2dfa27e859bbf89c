package io.cdisync.cli;

import static io.cdisync.cli.CliFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.cli.CliFixture.Result;
import io.cdisync.testkit.FakeBraze;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config file's public contract, pinned: every key accepted today is still accepted, and an unknown key is
 * refused with exit code 2 and an error naming the key and the keys known in its section.
 */
class CliConfigContractTest {
    static final String SYNC_KEYS = "[catalog, concurrency, dataType, keepFailedRowPayloads, lookback, maxRowsPerRun, name,"
            + " settleDelay, updateExistingOnly]";
    static final String BRAZE_KEYS = "[apiKey, endpoint, maxRequestBytes, maxRequestsInFlight, objectsPerRequest]";

    @TempDir
    Path dir;

    @Test
    void everyKeyOfEverySectionIsAccepted() throws Exception {
        Path database = CliFixture.table(dir, 10, false);
        try (FakeBraze braze = FakeBraze.start()) {
            String sync = String.join("\n", "  lookback: PT1M", "  settleDelay: PT0S", "  concurrency: 2", "  maxRowsPerRun: 1000",
                    "  updateExistingOnly: false", "  keepFailedRowPayloads: true");
            Path config = CliFixture.config(dir, database, braze.url(), braze.apiKey(), sync,
                    "  maxRequestsInFlight: 4\n  objectsPerRequest: 50\n  maxRequestBytes: 1000000");
            Result check = run("check", "--config", config.toString());
            assertThat(check.exitCode()).as(check.stderr()).isZero();
            Result result = run("sync", "--config", config.toString(), "--json");
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(braze.attributes()).hasSize(10);
        }
        Path catalog = dir.resolve("catalog.yaml");
        Files.writeString(catalog, String.join("\n", "sync:", "  name: items", "  dataType: CATALOG_ITEMS", "  catalog: products",
                "braze:", "  endpoint: http://127.0.0.1:1", "  apiKey: ${KEY}", "source:", "  type: duckdb", "  path: x.duckdb",
                "  table: t", "state:", "  type: file", "  path: " + dir, ""));
        CliConfig loaded = CliConfig.load(catalog, Map.of("KEY", "k"));
        assertThat(loaded.sync().catalog()).isEqualTo("products");
    }

    @Test
    void unknownKeysAreRefusedNamingTheKeyAndTheKnownKeys() throws Exception {
        Path database = CliFixture.table(dir, 1, false);
        String endpoint = "http://127.0.0.1:1";

        Path sync = CliFixture.config(dir, database, endpoint, "k", "  colour: blue", "");
        assertRefused(sync, "cdi check: bad config: sync.colour: unknown key; known keys are " + SYNC_KEYS + "\n");

        Path braze = CliFixture.config(dir, database, endpoint, "k", "", "  colour: blue");
        assertRefused(braze, "cdi check: bad config: braze.colour: unknown key; known keys are " + BRAZE_KEYS + "\n");

        Path section = CliFixture.config(dir, database, endpoint, "k", "", "");
        Files.writeString(section, Files.readString(section) + "colour:\n  shade: blue\n");
        assertRefused(section, "cdi check: bad config: colour: unknown key; known keys are [braze, source, state, sync]\n");

        Path source = CliFixture.config(dir, database, endpoint, "k", "", "");
        Files.writeString(source, Files.readString(source).replace("  table: users_sync", "  table: users_sync\n  colour: blue"));
        Result sourceResult = run("check", "--config", source.toString());
        assertThat(sourceResult.exitCode()).isEqualTo(2);
        assertThat(sourceResult.stderr()).startsWith("cdi check: bad config: source.colour: unknown key for source type duckdb;"
                + " known keys are [");

        Path state = CliFixture.config(dir, database, endpoint, "k", "", "");
        Files.writeString(state, Files.readString(state) + "  colour: blue\n");
        assertRefused(state, "cdi check: bad config: state.colour: unknown key for state type file; known keys are [path]\n");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() throws Exception {
        Path database = CliFixture.table(dir, 1, false);
        String endpoint = "http://127.0.0.1:1";
        assertRefused(CliFixture.config(dir, database, endpoint, "k", "  concurrency: 0", ""),
                "cdi check: bad config: sync.concurrency: must be at least 1, was 0\n");
        assertRefused(CliFixture.config(dir, database, endpoint, "k", "", "  maxRequestsInFlight: lots"),
                "cdi check: bad config: braze.maxRequestsInFlight: 'lots' is not a whole number\n");
        assertRefused(CliFixture.config(dir, database, endpoint, "${NO_SUCH_CDI_TEST_VAR}", "", ""),
                "cdi check: bad config: braze.apiKey: environment variable NO_SUCH_CDI_TEST_VAR is not set\n");
        Result missing = run("sync", "--config", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).isEqualTo("cdi sync: bad config: config file " + dir.resolve("nope.yaml") + " does not exist\n");
    }

    private static void assertRefused(Path config, String stderr) {
        Result result = run("check", "--config", config.toString());
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo(stderr);
        assertThat(result.stdout()).isEmpty();
    }
}
