package io.cdisync.core.ops;

import static io.cdisync.core.ops.OpsFixtures.T0;
import static io.cdisync.core.ops.OpsFixtures.failedRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link RunLog} does; subclasses give the log, with the retention asked for. */
abstract class RunLogContractTest {
    abstract RunLog log(RunLogRetention retention);

    RunLog log() {
        return log(RunLogRetention.DEFAULT);
    }

    @Test
    void aRunIsRecordedWhenItStartsAndReplacedWhenItEnds() {
        RunLog log = log();
        RunRecord running = RunRecord.running("run-a", "users", RunRecord.Kind.SYNC, T0);
        log.runStarted(running);
        assertThat(log.run("users", "run-a")).contains(running);
        assertThat(log.runs("users", 10)).containsExactly(running);

        SyncReport report = new SyncReport("users", DataType.USER_ATTRIBUTES, SyncStatus.PARTIAL_SUCCESS, false, 10, 7, 2, 1, 0,
                List.of(), 0, 1, 0, null, T0.minusSeconds(60), T0, Duration.ofMillis(1234), null);
        RunRecord finished = running.finished(report);
        log.runFinished(finished);
        assertThat(log().run("users", "run-a")).contains(finished);
        assertThat(finished).extracting(RunRecord::status, RunRecord::rowsRead, RunRecord::rowsDelivered, RunRecord::rowsFailed,
                RunRecord::rowsSkipped, RunRecord::lastUpdatedAt, RunRecord::duration)
                .containsExactly(RunStatus.PARTIAL_SUCCESS, 10L, 7L, 2L, 1L, T0.minusSeconds(60), Duration.ofMillis(1234));
        assertThat(log().run("other", "run-a")).isEmpty();
    }

    @Test
    void runsListNewestFirstPerIntegration() {
        RunLog log = log();
        for (int i = 0; i < 5; i++) {
            log.runStarted(RunRecord.running("run-" + i, "users", RunRecord.Kind.SYNC, T0.plusSeconds(i)));
        }
        log.runStarted(RunRecord.running("other-run", "events", RunRecord.Kind.RETRY, T0.plusSeconds(99)));
        assertThat(log().runs("users", 3)).extracting(RunRecord::runId).containsExactly("run-4", "run-3", "run-2");
        assertThat(log().runs("events", 10)).extracting(RunRecord::kind).containsExactly(RunRecord.Kind.RETRY);
    }

    @Test
    void failedRowsAreKeyedByRowKeyAndUpdatedAtAndKeepTheirRowOnlyWhenAsked() {
        RunLog log = log();
        FailedRow kept = failedRow("users", "users#1", T0, T0, true);
        FailedRow notKept = failedRow("users", "users#2", T0.plusSeconds(1), T0, false);
        FailedRow noTime = FailedRow.of("users", new RowError("#3 (UPDATED_AT null)", null, null, RowError.Kind.INVALID_UPDATED_AT,
                "UPDATED_AT is NULL"), "run-1", T0, null);
        FailedRow structured = FailedRow.of("users", new RowError("items#1", T0, "item:sku-1", RowError.Kind.INVALID_PAYLOAD, "bad"),
                "run-1", T0, OpsFixtures.structuredRow());
        log.recordFailedRows(List.of(kept, notKept, noTime, structured, failedRow("events", "events#1", T0, T0, true)));

        List<FailedRow> rows = log().failedRows("users");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).isEqualTo(kept);
        assertThat(rows.get(0).row().payload()).isEqualTo("{\"plan\":\"gold\"}");
        assertThat(rows).filteredOn(r -> r.rowKey().equals("users#2")).singleElement()
                .satisfies(r -> assertThat(r.retryable()).isFalse());
        assertThat(rows).filteredOn(r -> r.rowKey().startsWith("#3")).singleElement().isEqualTo(noTime);
        FailedRow reread = rows.stream().filter(r -> r.rowKey().equals("items#1")).findFirst().orElseThrow();
        assertThat(reread.row().id()).isEqualTo("sku-1");
        assertThat(reread.row().deleted()).isFalse();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(reread.row().payload()).toString())
                .as("a structured payload stays structured").isIn("{\"name\":\"Shoe\",\"tags\":[\"run\"]}", "{\"tags\":[\"run\"],\"name\":\"Shoe\"}");

        FailedRow again = kept.failedAgain(new RowError("users#1", T0, null, RowError.Kind.REJECTED_BY_BRAZE, "rejected again"),
                "run-2", T0.plusSeconds(5));
        log.recordFailedRows(List.of(again));
        log.removeFailedRows("users", List.of(notKept.key(), noTime.key()));
        List<FailedRow> after = log().failedRows("users");
        assertThat(after).extracting(FailedRow::rowKey).containsExactlyInAnyOrder("users#1", "items#1");
        FailedRow updated = after.stream().filter(r -> r.rowKey().equals("users#1")).findFirst().orElseThrow();
        assertThat(updated).extracting(FailedRow::reason, FailedRow::attempts, FailedRow::runId, FailedRow::identifier)
                .containsExactly("rejected again", 2, "run-2", "external_id:user-users#1");
        assertThat(updated.row()).isEqualTo(kept.row());
        assertThat(log().failedRows("events")).hasSize(1);
    }

    @Test
    void aNanosecondUpdatedAtKeysItsRowExactly() {
        Instant nanos = Instant.parse("2026-03-01T10:00:00.123456789Z");
        FailedRow row = failedRow("users", "users#9", nanos, T0, true);
        log().recordFailedRows(List.of(row));
        FailedRow read = log().failedRows("users").get(0);
        assertThat(read.updatedAt()).isEqualTo(nanos);
        assertThat(read.key()).isEqualTo(row.key());
        log().removeFailedRows("users", List.of(read.key()));
        assertThat(log().failedRows("users")).isEmpty();
    }

    @Test
    void pruningAppliesTheRetentionToRowsAndRuns() {
        RunLog log = log(new RunLogRetention(Duration.ofDays(30), Period.ofMonths(12)));
        Instant now = Instant.parse("2027-03-01T00:00:00Z");
        log.runStarted(RunRecord.running("old", "users", RunRecord.Kind.SYNC, Instant.parse("2026-02-28T23:59:59Z")));
        log.runStarted(RunRecord.running("kept", "users", RunRecord.Kind.SYNC, Instant.parse("2026-03-01T00:00:00Z")));
        log.recordFailedRows(List.of(failedRow("users", "old", T0, now.minus(Duration.ofDays(30)).minusSeconds(1), true),
                failedRow("users", "kept", T0, now.minus(Duration.ofDays(30)), true),
                failedRow("events", "old", T0, now.minus(Duration.ofDays(31)), false)));

        RunLogRetention.Pruned pruned = log.prune(Clock.fixed(now, ZoneOffset.UTC));
        assertThat(pruned).isEqualTo(new RunLogRetention.Pruned(1, 2));
        assertThat(log().runs("users", 10)).extracting(RunRecord::runId).containsExactly("kept");
        assertThat(log().failedRows("users")).extracting(FailedRow::rowKey).containsExactly("kept");
        assertThat(log().failedRows("events")).isEmpty();
        assertThat(log.prune(Clock.fixed(now, ZoneOffset.UTC))).isEqualTo(new RunLogRetention.Pruned(0, 0));
    }

    @Test
    void aBatchOfAThousandFailedRowsIsWrittenAndStreamedInOrder() {
        RunLog log = log();
        List<FailedRow> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(failedRow("bulk", String.format("bulk#%04d", i), T0.plusMillis(i), T0, i % 2 == 0));
        }
        log.recordFailedRows(rows);
        List<String> keys = new ArrayList<>();
        log().forEachFailedRow("bulk", r -> keys.add(r.rowKey()));
        assertThat(keys).containsExactlyElementsOf(rows.stream().map(FailedRow::rowKey).toList());
    }
}
