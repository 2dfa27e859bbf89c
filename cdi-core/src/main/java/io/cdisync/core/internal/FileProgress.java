package io.cdisync.core.internal;

import io.cdisync.core.spi.FileChunk;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.Watermark;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * A file sync's position during a run: the ledger of files done and how far the file being read got.
 * Rows are done in read order (the engine moves this over the done prefix only), so at most one file is
 * partly done at any time.
 */
final class FileProgress implements RunProgress {
    private final Instant since;
    private final Map<String, FileLedger.ProcessedFile> files = new HashMap<>();
    private String currentKey;
    private String currentEtag;
    private long currentSize;
    private long currentRecords;
    private boolean changed;
    private long filesDone;

    /** @param fresh true for a new sync's initial ledger, which the first checkpoint saves even if nothing moved */
    FileProgress(FileLedger ledger, boolean fresh) {
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

    /** Records {@code 1..record} of the chunk's file are done. */
    void recordDone(FileChunk chunk, long record) {
        currentKey = chunk.key();
        currentEtag = chunk.etag();
        currentSize = chunk.size();
        currentRecords = record;
        changed = true;
    }

    /** Every record of the chunk's file is done, or the file was skipped. */
    void fileDone(FileChunk chunk) {
        files.put(chunk.key(), new FileLedger.ProcessedFile(chunk.key(), chunk.etag(), chunk.size(), chunk.skipped()));
        if (chunk.key().equals(currentKey)) {
            currentKey = null;
        }
        filesDone++;
        changed = true;
    }

    long filesDone() {
        return filesDone;
    }

    @Override
    public boolean changed() {
        return changed;
    }

    @Override
    public Watermark snapshot() {
        FileLedger.FilePosition current = currentKey == null ? null
                : new FileLedger.FilePosition(currentKey, currentEtag, currentSize, currentRecords);
        return new FileLedger(since, new ArrayList<>(files.values()), current);
    }

    @Override
    public void saved() {
        changed = false;
    }

    @Override
    public Instant startInstant() {
        return null;
    }

    @Override
    public Instant committedInstant() {
        return null;
    }
}
