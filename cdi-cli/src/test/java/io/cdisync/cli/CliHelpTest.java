package io.cdisync.cli;

import static io.cdisync.cli.CliFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.cli.CliFixture.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What picocli adds: {@code --help} per command listing its options, {@code --version}, suggestions for typos. */
class CliHelpTest {
    static final Map<String, List<String>> OPTIONS = Map.of(
            "check", List.of("--config=FILE"),
            "preview", List.of("--config=FILE", "--limit=N"),
            "sync", List.of("--config=FILE", "--dry-run", "--json"),
            "status", List.of("--config=FILE", "--json"),
            "retry-failed", List.of("--config=FILE", "--json"),
            "keygen", List.of("--out=DIR", "--user=NAME", "--passphrase-env=VAR"),
            "demo", List.of("--rows=N"));

    @Test
    void everyCommandsHelpListsItsOptionsAndExitsWithZero() {
        OPTIONS.forEach((command, options) -> {
            Result help = run(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.stdout()).as(command).startsWith("Usage: cdi " + command + " ").contains(options)
                    .contains("exit codes: 0 success, 1 global failure, 2 bad usage or config, 3 row errors");
            assertThat(help.stderr()).isEmpty();
            assertThat(run("help", command).stdout()).as(command).isEqualTo(help.stdout());
        });
        assertThat(run("--help").stdout()).contains(OPTIONS.keySet());
    }

    @Test
    void versionIsTheProjectVersion() {
        Result version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).matches("cdi \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
        assertThat(run("sync", "--version").stdout()).isEqualTo(version.stdout());
    }

    @Test
    void aMistypedOptionOrCommandGetsASuggestion() {
        Result option = run("sync", "--config", "cdi.yaml", "--jsn");
        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.stderr()).startsWith("cdi sync: unknown option '--jsn'; options are [--config, --dry-run, --json]\n")
                .contains("Possible solutions: --json\n").contains("see 'cdi sync --help'");
        assertThat(option.stdout()).isEmpty();

        Result command = run("synk", "--config", "cdi.yaml");
        assertThat(command.exitCode()).isEqualTo(2);
        assertThat(command.stderr()).startsWith("cdi: unknown command 'synk'\n").contains("Did you mean: cdi sync?")
                .contains("Usage: cdi");

        Result retry = run("retry-faild");
        assertThat(retry.exitCode()).isEqualTo(2);
        assertThat(retry.stderr()).contains("cdi retry-failed");
    }

    @Test
    void anOptionGivenTwiceTakesTheLastValueAsBefore() {
        Result twice = run("preview", "--limit", "3", "--limit", "0", "--config", "x.yaml");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.stderr()).startsWith("cdi preview: --limit must be at least 1\n");
    }
}
