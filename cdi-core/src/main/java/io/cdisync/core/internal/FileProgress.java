package io.cdisync.core.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.FileChunk;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.Watermark;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * A file sync's position during a run: the ledger of files done and how far the file being read got.
 * Rows have no UPDATED_AT order or window; a row's place is its file and record number, and a marker
 * (no row) ends each file, so a file is done once every row before the marker is. Rows are done in read
 * order (the position moves over the done prefix only), so at most one file is partly done at any time.
 */
final class FileProgress extends RunProgress {
    private final FileLedger stored;
    private final Instant since;
    private final Map<String, FileLedger.ProcessedFile> files = new HashMap<>();
    private String currentKey;
    private String currentEtag;
    private long currentSize;
    private long currentRecords;
    private boolean changed;
    /** The chunk of the batch being accepted, and the record number of its last row accepted. */
    private FileChunk chunk;
    private long record;

    /**
     * @param ledger the stored ledger, or the source's initial one for a new sync
     * @param fresh  true for a new sync's initial ledger, which the first checkpoint saves even if nothing moved
     */
    FileProgress(FileLedger ledger, boolean fresh, RunCounters counters, String source) {
        super(counters, source);
        this.stored = ledger;
        this.since = ledger.since();
        for (FileLedger.ProcessedFile file : ledger.files()) {
            files.put(file.key(), file);
        }
        FileLedger.FilePosition current = ledger.current();
        if (current != null) {
            currentKey = current.key();
            currentEtag = current.etag();
            currentSize = current.size();
            currentRecords = current.records();
        }
        this.changed = fresh;
    }

    /** The files the ledger does not have yet, up to the run's start. */
    @Override
    ReadRequest request(Instant startedAt, int fetchSize) {
        return new ReadRequest(null, startedAt, fetchSize, stored);
    }

    @Override
    String describe(ReadRequest request) {
        return "new files of " + source;
    }

    @Override
    void startBatch(RowBatch batch) {
        if (batch.file() == null) {
            throw new CdiException.ConfigurationError("source " + source
                    + " keeps a file ledger but sent rows without their file");
        }
        super.startBatch(batch);
        chunk = batch.file();
        record = chunk.firstRecord();
    }

    @Override
    PendingRow accept(SourceRow row, long ordinal) {
        PendingRow entry = new PendingRow(row.updatedAt(), row, ordinal, chunk, ++record);
        place(entry);
        if (row.payload() instanceof SourceRow.Unreadable unreadable) {
            counters.rowError(RowErrors.unreadable(row, ordinal, unreadable));
            done(entry);
            return null;
        }
        return entry;
    }

    /** At the end of a file, its marker takes its place after the file's rows. */
    @Override
    void endBatch(long ordinal) {
        if (chunk.endOfFile()) {
            PendingRow marker = new PendingRow(null, null, ordinal, chunk, record);
            marker.endOfFile = true;
            place(marker);
            done(marker);
        }
    }

    @Override
    void passed(PendingRow row) {
        if (row.endOfFile) {
            fileDone(row.chunk);
        } else {
            recordDone(row.chunk, row.record);
        }
    }

    /** Records {@code 1..record} of the chunk's file are done. */
    private void recordDone(FileChunk chunk, long record) {
        currentKey = chunk.key();
        currentEtag = chunk.etag();
        currentSize = chunk.size();
        currentRecords = record;
        changed = true;
    }

    /** Every record of the chunk's file is done, or the file was skipped. */
    private void fileDone(FileChunk chunk) {
        files.put(chunk.key(), new FileLedger.ProcessedFile(chunk.key(), chunk.etag(), chunk.size(), chunk.skipped()));
        if (chunk.key().equals(currentKey)) {
            currentKey = null;
        }
        changed = true;
    }

    @Override
    boolean changed() {
        return changed;
    }

    @Override
    Watermark snapshot() {
        FileLedger.FilePosition current = currentKey == null ? null
                : new FileLedger.FilePosition(currentKey, currentEtag, currentSize, currentRecords);
        return new FileLedger(since, new ArrayList<>(files.values()), current);
    }

    @Override
    void saved() {
        changed = false;
    }

    @Override
    Instant startInstant() {
        return null;
    }

    @Override
    Instant committedInstant() {
        return null;
    }
}
