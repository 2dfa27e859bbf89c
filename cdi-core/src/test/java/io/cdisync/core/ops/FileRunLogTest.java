package io.cdisync.core.ops;

import static io.cdisync.core.ops.OpsFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileRunLog}: the contract, and a journal torn by a crash. */
class FileRunLogTest extends RunLogContractTest {
    @TempDir
    Path dir;
    RunLogRetention retention = RunLogRetention.DEFAULT;

    @Override
    RunLog log(RunLogRetention retention) {
        this.retention = retention;
        return new FileRunLog(dir, retention);
    }

    @Override
    RunLog log() {
        return new FileRunLog(dir, retention);
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheNextAppendStartsAFreshLine() throws Exception {
        RunLog log = log();
        log.recordFailedRows(List.of(OpsFixtures.failedRow("users", "users#1", T0, T0, true)));
        Path journal = dir.resolve("users").resolve("failed-rows.jsonl");
        Files.writeString(journal, "{\"op\":\"put\",\"row\":{\"integration\":\"us", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(log.failedRows("users")).extracting(FailedRow::rowKey).containsExactly("users#1");

        log.recordFailedRows(List.of(OpsFixtures.failedRow("users", "users#2", T0, T0, false)));
        assertThat(log().failedRows("users")).extracting(FailedRow::rowKey).containsExactly("users#1", "users#2");
        assertThat(log().runs("nobody", 5)).isEmpty();
        assertThat(dir.resolve("nobody")).as("reading creates nothing").doesNotExist();
    }
}
