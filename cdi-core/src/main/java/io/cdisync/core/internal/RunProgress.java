package io.cdisync.core.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.FileChunk;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.TableWatermark;
import io.cdisync.core.spi.Watermark;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * A sync's position as a run moves it, one kind per kind of source: what to read ({@link #request}), what
 * each row read means ({@link #accept}), and how the position moves over the rows done ({@link #advance}).
 *
 * <p>Rows the run goes on with wait here in read order until they are done (delivered, rejected, or
 * invalid); the position moves only over the longest done prefix, so a crash never skips a row that was
 * not done. A checkpoint saves the {@link #snapshot}.
 */
abstract sealed class RunProgress permits TableProgress, FileProgress {
    final RunCounters counters;
    /** The source, as messages name it. */
    final String source;
    private final ArrayDeque<PendingRow> pending = new ArrayDeque<>();
    private long pendingBytes;

    RunProgress(RunCounters counters, String source) {
        this.counters = counters;
        this.source = source;
    }

    /**
     * The position of a run: the stored one, or for a new sync the source's {@code initial} one. A sync id
     * keeps its kind of position: a table's watermark cannot be read as a file ledger, nor the other way round.
     *
     * @param initial the source's position for a new sync (a file ledger), or null (a table)
     * @param stored  the stored position, or null (a new sync)
     */
    static RunProgress of(RunSettings settings, Watermark initial, Watermark stored, RunCounters counters) {
        String source = settings.source().describe();
        if (stored != null && (initial instanceof FileLedger) != (stored instanceof FileLedger)) {
            throw new CdiException.ConfigurationError("sync " + settings.syncId() + " has a stored position of another kind ("
                    + (stored instanceof FileLedger ? "a file ledger" : "a table watermark") + ") than its source "
                    + source + " keeps; a sync id cannot change its kind of source");
        }
        if (initial != null && !(initial instanceof FileLedger)) {
            throw new CdiException.ConfigurationError("source " + source
                    + " gave an initial position of an unsupported kind: " + initial.getClass().getSimpleName());
        }
        if (initial instanceof FileLedger initialLedger) {
            return new FileProgress(stored != null ? (FileLedger) stored : initialLedger, stored == null, counters, source);
        }
        return new TableProgress(settings.lookback(), settings.settleDelay(), (TableWatermark) stored, counters, source);
    }

    /** The read of a run that started at {@code startedAt}. */
    abstract ReadRequest request(Instant startedAt, int fetchSize);

    /** The read as the run's log names it. */
    abstract String describe(ReadRequest request);

    /**
     * A batch of the read starts.
     *
     * @throws CdiException.ConfigurationError when the batch breaks the source's contract
     */
    void startBatch(RowBatch batch) {
        FileChunk chunk = batch.file();
        if (chunk != null && chunk.skipped() != null) {
            counters.rowError(RowErrors.fileSkipped(chunk));
        }
    }

    /**
     * Takes the run's {@code ordinal}-th row read: the row, in its place in read order, for the run to
     * translate and send; or null when nothing more is to be done with it (a row error, held back, skipped).
     *
     * @throws CdiException.ConfigurationError when the row breaks the source's contract
     */
    abstract PendingRow accept(SourceRow row, long ordinal);

    /** The batch's rows were all accepted; {@code ordinal} is the last row read. */
    void endBatch(long ordinal) {
    }

    /** Gives a row its place in read order. */
    final void place(PendingRow row) {
        pending.addLast(row);
    }

    /** A placed row waits in a lane, holding about {@code weight} bytes until it is done. */
    final void weigh(PendingRow row, int weight) {
        row.weight = weight;
        pendingBytes += weight;
    }

    /** A placed row is done without going to Braze (a row error). */
    final void done(PendingRow row) {
        row.done = true;
        advance();
    }

    /** Rows read and not done. */
    final int pendingRows() {
        return pending.size();
    }

    /** What the rows read and not done weigh. */
    final long pendingBytes() {
        return pendingBytes;
    }

    /** Moves the position over the done prefix of the rows read. */
    final void advance() {
        int done = 0;
        Instant last = null;
        for (PendingRow row : pending) {
            if (!row.done) {
                break;
            }
            done++;
            last = row.updatedAt;
        }
        if (done == 0) {
            return;
        }
        startAdvance(last);
        for (int i = 0; i < done; i++) {
            PendingRow head = pending.removeFirst();
            pendingBytes -= head.weight;
            passed(head);
        }
        endAdvance();
    }

    /** The position moves over a done prefix whose last row has {@code last} (null for file rows and markers). */
    void startAdvance(Instant last) {
    }

    /** The position moves over one done row, in read order. */
    abstract void passed(PendingRow row);

    /** The position moved over the whole prefix. */
    void endAdvance() {
    }

    /** Whether the position moved since it was last saved (or was never saved). */
    abstract boolean changed();

    /** The position to save now. */
    abstract Watermark snapshot();

    /** The snapshot was saved. */
    abstract void saved();

    /** The UPDATED_AT watermark the run started from, or null (first run, or not a table). */
    abstract Instant startInstant();

    /** The UPDATED_AT watermark last saved, or null (none yet, or not a table). */
    abstract Instant committedInstant();
}
