package io.cdisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar carries picocli: version from the build, help per command, suggestions, exit codes. */
class CliHelpIT {
    @Test
    void versionHelpAndSuggestionsFromTheJar(@TempDir Path dir) throws Exception {
        CliJar.Result version = CliJar.run(Map.of(), dir, "--version");
        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(version.stdout().trim()).isEqualTo("cdi " + System.getProperty("cdi.version", "0.1.0-SNAPSHOT"));

        CliJar.Result help = CliJar.run(Map.of(), dir, "sync", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("--config=FILE", "--dry-run", "--json");

        CliJar.Result typo = CliJar.run(Map.of(), dir, "status", "--config", "x.yaml", "--jsn");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.stderr()).contains("unknown option '--jsn'").contains("Possible solutions: --json");

        CliJar.Result none = CliJar.run(Map.of(), dir);
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("Usage: cdi");
    }
}
