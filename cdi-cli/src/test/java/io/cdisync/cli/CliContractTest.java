package io.cdisync.cli;

import static io.cdisync.cli.CliFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.cli.CliFixture.Result;
import io.cdisync.testkit.FakeBraze;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's public contract, pinned: the commands and the options each accepts, the exit codes
 * (0 success, 1 global failure, 2 bad usage or config, 3 row errors) and the field names of the {@code --json}
 * reports of {@code sync}, {@code status} and {@code retry-failed}. Written against the hand-parsed CLI and kept
 * unchanged when the parsing moved to picocli.
 */
class CliContractTest {
    static final List<String> SYNC_JSON = List.of("status", "rowsRead", "rowsDelivered", "rowsFailed", "rowsSkipped",
            "watermarkBefore", "watermarkAfter", "errors", "syncId", "dataType", "dryRun", "rowsHeldBack",
            "rowErrorsNotListed", "requests", "rateLimitedWaits", "startedAt", "durationMs");

    @TempDir
    Path dir;

    @Test
    void everyCommandWithEveryOptionSucceedsOnGoodRows() throws Exception {
        Path database = CliFixture.table(dir, 20, false);
        try (FakeBraze braze = FakeBraze.start()) {
            String config = CliFixture.config(dir, database, braze.url(), braze.apiKey(), "", "").toString();

            Result check = run("check", "--config", config);
            assertThat(check.exitCode()).as(check.stderr()).isZero();
            assertThat(check.stdout()).contains("  connection, permissions, table and columns: ok")
                    .contains("  rows pending: 20 (20 valid, 0 with row errors, 0 already delivered, 0 held back)")
                    .endsWith("check passed\n");

            Result preview = run("preview", "--config", config, "--limit", "2");
            assertThat(preview.exitCode()).as(preview.stderr()).isZero();
            assertThat(preview.stdout()).contains("-> {\"external_id\":\"user-0\",\"n\":0}").endsWith("2 rows previewed, 0 with row errors\n");

            Result dry = run("sync", "--config", config, "--dry-run", "--json");
            assertThat(dry.exitCode()).as(dry.stderr()).isZero();
            assertThat(dry.fields()).isEqualTo(SYNC_JSON);
            assertThat(dry.json().path("dryRun").asBoolean()).isTrue();
            assertThat(braze.requests()).isEmpty();

            Result sync = run("sync", "--config", config, "--json");
            assertThat(sync.exitCode()).as(sync.stderr()).isZero();
            assertThat(sync.fields()).isEqualTo(SYNC_JSON);
            assertThat(sync.json().path("status").asText()).isEqualTo("SUCCESS");
            assertThat(sync.json().path("rowsDelivered").asLong()).isEqualTo(20);
            assertThat(braze.attributes()).hasSize(20);

            Result plain = run("sync", "--config", config);
            assertThat(plain.exitCode()).as(plain.stderr()).isZero();
            assertThat(plain.stdout()).doesNotStartWith("{");

            Result status = run("status", "--config", config, "--json");
            assertThat(status.exitCode()).as(status.stderr()).isZero();
            assertThat(status.fields()).containsExactly("sync", "watermark", "version", "lastRun");
            assertThat(status.json().path("watermark").asText()).isEqualTo("2026-01-01T00:00:19Z");
            assertThat(CliFixture.names(status.json().path("lastRun"))).isEqualTo(SYNC_JSON);
            Result statusText = run("status", "--config", config);
            assertThat(statusText.exitCode()).isZero();
            assertThat(statusText.stdout()).startsWith("sync users: watermark 2026-01-01T00:00:19Z\n  last run ");

            Result retry = run("retry-failed", "--config", config, "--json");
            assertThat(retry.exitCode()).as(retry.stderr()).isZero();
            assertThat(retry.fields()).containsExactly("sync", "status", "retried", "delivered", "failedAgain", "notRetryable", "left");
            assertThat(run("retry-failed", "--config", config).stdout()).startsWith("retry-failed users: 0 failed rows re-sent: ");
        }
    }

    @Test
    void rowErrorsExitWithThree() throws Exception {
        Path database = CliFixture.table(dir, 5, true);
        try (FakeBraze braze = FakeBraze.start()) {
            String config = CliFixture.config(dir, database, braze.url(), braze.apiKey(), "  keepFailedRowPayloads: true", "")
                    .toString();
            assertThat(run("check", "--config", config).exitCode()).isEqualTo(3);
            Result preview = run("preview", "--config", config);
            assertThat(preview.exitCode()).isEqualTo(3);
            assertThat(preview.stdout()).endsWith("6 rows previewed, 1 with row errors\n");
            assertThat(run("sync", "--config", config, "--dry-run").exitCode()).isEqualTo(3);

            Result sync = run("sync", "--config", config, "--json");
            assertThat(sync.exitCode()).isEqualTo(3);
            assertThat(sync.fields()).isEqualTo(SYNC_JSON);
            assertThat(CliFixture.names(sync.json().path("errors").get(0))).containsExactly("rowKey", "reason", "kind", "updatedAt");

            Result retry = run("retry-failed", "--config", config, "--json");
            assertThat(retry.exitCode()).as("the broken row fails again").isEqualTo(3);
            assertThat(retry.json().path("failedAgain").asLong()).isEqualTo(1);
        }
    }

    @Test
    void globalFailuresExitWithOne() throws Exception {
        Path database = CliFixture.table(dir, 5, false);
        try (FakeBraze braze = FakeBraze.start()) {
            String config = CliFixture.config(dir, database, braze.url(), "wrong-key-for-test", "", "").toString();
            Result sync = run("sync", "--config", config, "--json");
            assertThat(sync.exitCode()).isEqualTo(1);
            assertThat(sync.fields()).containsAll(SYNC_JSON).endsWith("failure");
            assertThat(CliFixture.names(sync.json().path("failure"))).containsExactly("type", "message", "retryable");

            Path missing = dir.resolve("missing.yaml");
            Files.writeString(missing, Files.readString(Path.of(config)).replace("table: users_sync", "table: no_such_table"));
            Result check = run("check", "--config", missing.toString());
            assertThat(check.exitCode()).isEqualTo(1);
            assertThat(check.stderr()).startsWith("cdi check: failed: ").contains("no_such_table");
        }
    }

    @Test
    void badUsageExitsWithTwoAndNamesTheProblem() throws Exception {
        Path database = CliFixture.table(dir, 5, false);
        String config = CliFixture.config(dir, database, "http://127.0.0.1:1", "k", "", "").toString();

        Result none = run();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("check", "preview", "sync", "status", "retry-failed", "keygen", "demo");
        Result unknown = run("frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("frobnicate");

        for (String command : List.of("check", "preview", "sync", "status", "retry-failed")) {
            Result noConfig = run(command);
            assertThat(noConfig.exitCode()).as(command).isEqualTo(2);
            assertThat(noConfig.stderr()).as(command).contains("--config FILE is required");
            Result noValue = run(command, "--config");
            assertThat(noValue.exitCode()).as(command).isEqualTo(2);
            assertThat(noValue.stderr()).as(command).contains("--config");
            Result badOption = run(command, "--config", config, "--colour");
            assertThat(badOption.exitCode()).as(command).isEqualTo(2);
            assertThat(badOption.stderr()).as(command).contains("--colour");
        }
        // Options belong to their command: --json is not one of check's, --limit not one of sync's.
        assertThat(run("check", "--config", config, "--json").exitCode()).isEqualTo(2);
        assertThat(run("sync", "--config", config, "--limit", "3").exitCode()).isEqualTo(2);
        assertThat(run("status", "--config", config, "--dry-run").exitCode()).isEqualTo(2);
        assertThat(run("preview", "--config", config, "--limit", "0").stderr()).contains("--limit");
        assertThat(run("preview", "--config", config, "--limit", "0").exitCode()).isEqualTo(2);
        assertThat(run("preview", "--config", config, "--limit", "many").exitCode()).isEqualTo(2);
        assertThat(run("preview", "--config", config, "--limit").exitCode()).isEqualTo(2);

        Result noOut = run("keygen");
        assertThat(noOut.exitCode()).isEqualTo(2);
        assertThat(noOut.stderr()).contains("--out DIR is required");
        assertThat(run("keygen", "--out").exitCode()).isEqualTo(2);
        assertThat(run("keygen", "--out", dir.resolve("k").toString(), "--colour", "x").exitCode()).isEqualTo(2);
        Result noVar = run("keygen", "--out", dir.resolve("k").toString(), "--passphrase-env", "CDI_TEST_NO_SUCH_VARIABLE");
        assertThat(noVar.exitCode()).isEqualTo(2);
        assertThat(noVar.stderr()).contains("CDI_TEST_NO_SUCH_VARIABLE is not set");
        assertThat(run("demo", "--rows", "5").exitCode()).isEqualTo(2);
        assertThat(run("demo", "--rows", "many").exitCode()).isEqualTo(2);
        assertThat(run("demo", "--colour").exitCode()).isEqualTo(2);
    }

    @Test
    void helpKeygenAndDemo() throws Exception {
        Result help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("check", "preview", "sync", "status", "retry-failed", "keygen", "demo");
        assertThat(run("help").exitCode()).isZero();

        Path keys = dir.resolve("keys");
        Result keygen = run("keygen", "--out", keys.toString(), "--user", "braze_cdi", "--passphrase-env", "PATH");
        assertThat(keygen.exitCode()).as(keygen.stderr()).isZero();
        assertThat(keygen.stdout()).contains("(encrypted)").contains("RSA_PUBLIC_KEY='");
        assertThat(Files.readString(keys.resolve("rsa_key.p8"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        Result again = run("keygen", "--out", keys.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.stderr()).contains("already exists");

        Result demo = run("demo", "--rows", "40");
        assertThat(demo.exitCode()).as(demo.stderr()).isZero();
        assertThat(demo.stdout()).contains("cdi demo: 40 rows in table USERS_ATTRIBUTES_SYNC").contains("second run");
    }
}
