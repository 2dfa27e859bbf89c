package io.cdisync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncListener;
import io.cdisync.core.spi.FileChunk;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.TableWatermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The positions a run moves: what each reads, what each row read means, and that they move over the done prefix only. */
class RunProgressTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration LOOKBACK = Duration.ofMinutes(10);

    final List<RowError> errors = new ArrayList<>();
    final RunCounters counters = new RunCounters("s", DataType.USER_ATTRIBUTES, false, 100,
            new RunEvents("s", new SyncListener() {
                @Override
                public void onRowError(String syncId, RowError error) {
                    errors.add(error);
                }
            }));

    static SourceRow row(String key, Instant updatedAt) {
        return SourceRow.builder().rowKey(key).updatedAt(updatedAt).externalId(key).build();
    }

    TableProgress table(TableWatermark stored) {
        return new TableProgress(LOOKBACK, Duration.ofMinutes(1), stored, counters, "table t");
    }

    PendingRow accept(RunProgress progress, SourceRow row) {
        return progress.accept(row, counters.read());
    }

    @Test
    void aTableReadsFromTheWatermarkMinusTheLookbackUpToNowMinusTheSettleDelay() {
        TableProgress fresh = table(null);
        ReadRequest first = fresh.request(T0, 500);
        assertThat(first.from()).isNull();
        assertThat(first.until()).isEqualTo(T0.minusSeconds(60));
        assertThat(fresh.describe(first)).isEqualTo("table t from the beginning to " + T0.minusSeconds(60));

        TableWatermark stored = new TableWatermark(T0.minusSeconds(3600), List.of());
        ReadRequest next = table(stored).request(T0, 500);
        assertThat(next.from()).isEqualTo(T0.minusSeconds(3600).minus(LOOKBACK));
        assertThat(next.position()).isSameAs(stored);
        // A watermark later than the read's end (a clock set back): the read never starts after its end.
        assertThat(table(new TableWatermark(T0.plus(LOOKBACK).plusSeconds(60), List.of())).request(T0, 500).from())
                .isEqualTo(T0.minusSeconds(60));
    }

    @Test
    void theWatermarkMovesOnlyOverTheDonePrefix() {
        TableProgress progress = table(null);
        progress.request(T0, 500);
        PendingRow a = accept(progress, row("a", T0.minusSeconds(300)));
        PendingRow b = accept(progress, row("b", T0.minusSeconds(200)));
        PendingRow c = accept(progress, row("c", T0.minusSeconds(100)));
        assertThat(progress.pendingRows()).isEqualTo(3);

        b.done = true;
        c.done = true;
        progress.advance();
        assertThat(progress.changed()).isFalse(); // a is not done: nothing moves past it
        assertThat(progress.pendingRows()).isEqualTo(3);

        progress.done(a);
        assertThat(progress.pendingRows()).isZero();
        assertThat(progress.changed()).isTrue();
        TableWatermark saved = (TableWatermark) progress.snapshot();
        assertThat(saved.updatedAt()).isEqualTo(T0.minusSeconds(100));
        assertThat(saved.edge()).hasSize(3); // all within the lookback below the watermark
        progress.saved();
        assertThat(progress.changed()).isFalse();
        assertThat(progress.committedInstant()).isEqualTo(T0.minusSeconds(100));
    }

    @Test
    void aTableRowIsHeldBackSkippedOrARowErrorBeforeItIsPlaced() {
        TableProgress first = table(null);
        first.request(T0, 500);
        SourceRow done = row("d", T0.minusSeconds(900));
        first.done(accept(first, done));
        TableWatermark stored = (TableWatermark) first.snapshot();

        TableProgress progress = table(stored);
        progress.request(T0, 500);
        assertThat(accept(progress, done)).isNull(); // in the edge: done by the earlier run
        assertThat(accept(progress, SourceRow.unreadable("bad", "not JSON"))).isNull();
        assertThat(accept(progress, row("n", null))).isNull();
        assertThat(accept(progress, row("late", T0.minusSeconds(30)))).isNull(); // inside the settle delay
        assertThat(progress.pendingRows()).isZero();
        assertThat(counters.progress(Duration.ZERO).rowsSkipped()).isEqualTo(1);
        assertThat(counters.report(T0, Duration.ZERO, false, null, null, null).rowsHeldBack()).isEqualTo(1);
        assertThat(errors).extracting(RowError::kind)
                .containsExactly(RowError.Kind.UNREADABLE_ROW, RowError.Kind.INVALID_UPDATED_AT);
        assertThat(errors.get(1).rowKey()).isEqualTo("n");
    }

    @Test
    void aTableRowOutOfOrderBreaksTheSourcesContract() {
        TableProgress progress = table(null);
        progress.request(T0, 500);
        accept(progress, row("a", T0.minusSeconds(100)));
        assertThatThrownBy(() -> accept(progress, row("b", T0.minusSeconds(200))))
                .isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("table t returned rows out of UPDATED_AT order");
    }

    @Test
    void aFileIsInTheLedgerOnceEveryRecordBeforeItsMarkerIsDone() {
        FileProgress progress = new FileProgress(FileLedger.startingAt(T0), true, counters, "files f");
        assertThat(progress.changed()).isTrue(); // a new sync's ledger is saved even if nothing moves
        assertThat(progress.request(T0, 100).ledger()).isEqualTo(FileLedger.startingAt(T0));
        FileChunk chunk = FileChunk.records("a.json", "e1", 10, 0, true);
        progress.startBatch(new RowBatch(List.of(), chunk));
        PendingRow first = accept(progress, row("a.json:1", T0));
        assertThat(accept(progress, SourceRow.unreadable("a.json:2", "not JSON"))).isNull(); // done at once
        PendingRow third = accept(progress, row("a.json:3", T0));
        progress.endBatch(counters.rowsRead());
        progress.saved();

        third.done = true;
        progress.advance();
        assertThat(progress.changed()).isFalse(); // record 1 is not done

        progress.done(first);
        assertThat(((FileLedger) progress.snapshot()).current()).isNull();
        assertThat(((FileLedger) progress.snapshot()).files())
                .containsExactly(new FileLedger.ProcessedFile("a.json", "e1", 10, null));
        assertThat(errors).extracting(RowError::rowKey).containsExactly("a.json:2");
    }

    @Test
    void aFileDonePartlyKeepsItsRecordNumber() {
        FileProgress progress = new FileProgress(FileLedger.startingAt(T0), false, counters, "files f");
        progress.startBatch(new RowBatch(List.of(), FileChunk.records("b.csv", "e2", 99, 40, false)));
        PendingRow r41 = accept(progress, row("b.csv:41", null));
        accept(progress, row("b.csv:42", null));
        progress.done(r41);
        assertThat(((FileLedger) progress.snapshot()).current())
                .isEqualTo(new FileLedger.FilePosition("b.csv", "e2", 99, 41));
    }

    @Test
    void aSkippedFileIsARowErrorAndDoneAndAFileSourcesRowsNeedTheirFile() {
        FileProgress progress = new FileProgress(FileLedger.startingAt(T0), false, counters, "files f");
        FileChunk skipped = FileChunk.skipped("big.json", "e3", 1L << 40, "too large");
        progress.startBatch(new RowBatch(List.of(), skipped));
        progress.endBatch(counters.rowsRead());
        assertThat(((FileLedger) progress.snapshot()).files())
                .containsExactly(new FileLedger.ProcessedFile("big.json", "e3", 1L << 40, "too large"));
        assertThat(errors).extracting(RowError::kind).containsExactly(RowError.Kind.FILE_SKIPPED);
        assertThatThrownBy(() -> progress.startBatch(new RowBatch(List.of(row("x", T0)))))
                .isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("files f keeps a file ledger but sent rows without their file");
    }
}
