package io.cdisync.testkit.files;

import io.cdisync.core.spi.FileChunk;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.Watermark;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file source in memory, for the engine's side of file syncs: files (key, version, last modified,
 * records) read as the file-source contract says (current file first, from its next record; new files
 * in key order; a file changed after it was processed is skipped with a reason).
 */
final class ListedFiles implements SourceConnector {
    record File(String key, String etag, Instant lastModified, List<SourceRow> records) {
    }

    private final Map<String, File> files = new TreeMap<>();
    private final boolean backfill;
    int reads;

    ListedFiles(boolean backfill) {
        this.backfill = backfill;
    }

    synchronized void put(String key, String etag, Instant lastModified, List<SourceRow> records) {
        files.put(key, new File(key, etag, lastModified, List.copyOf(records)));
    }

    @Override
    public Watermark initialPosition(Instant createdAt) {
        return FileLedger.startingAt(backfill ? null : createdAt);
    }

    @Override
    public synchronized RowStream read(ReadRequest request) {
        reads++;
        FileLedger ledger = request.ledger();
        Map<String, FileLedger.ProcessedFile> done = new HashMap<>();
        ledger.files().forEach(f -> done.put(f.key(), f));
        Deque<RowBatch> batches = new ArrayDeque<>();
        FileLedger.FilePosition current = ledger.current();
        if (current != null) {
            File file = files.get(current.key());
            if (file == null || !file.etag().equals(current.etag())) {
                batches.add(new RowBatch(List.of(), FileChunk.skipped(current.key(), current.etag(), current.size(),
                        "the file changed or disappeared while it was being read")));
            } else {
                slice(file, current.records(), request.batchSize(), batches);
            }
        }
        for (File file : files.values()) {
            if (current != null && file.key().equals(current.key())) {
                continue;
            }
            FileLedger.ProcessedFile processed = done.get(file.key());
            if (processed != null) {
                if (!processed.etag().equals(file.etag())) {
                    batches.add(new RowBatch(List.of(), FileChunk.skipped(file.key(), file.etag(), size(file),
                            "changed after it was processed; not sent again")));
                }
                continue;
            }
            if (ledger.since() != null && file.lastModified().isBefore(ledger.since())) {
                continue;
            }
            slice(file, 0, request.batchSize(), batches);
        }
        return new RowStream() {
            @Override
            public RowBatch nextBatch() {
                return batches.poll();
            }

            @Override
            public void close() {
            }
        };
    }

    private static void slice(File file, long from, int batchSize, Deque<RowBatch> out) {
        List<SourceRow> records = file.records();
        int start = (int) from;
        do {
            int end = Math.min(records.size(), start + batchSize);
            out.add(new RowBatch(new ArrayList<>(records.subList(start, end)),
                    FileChunk.records(file.key(), file.etag(), size(file), start, end == records.size())));
            start = end;
        } while (start < records.size());
    }

    private static long size(File file) {
        return file.records().size() * 100L;
    }

    @Override
    public String describe() {
        return "files in memory";
    }
}
