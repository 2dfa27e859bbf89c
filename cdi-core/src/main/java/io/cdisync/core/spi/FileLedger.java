package io.cdisync.core.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The position of a file sync (files in a bucket folder, each processed once): which files are done,
 * and how far the file being read had got.
 *
 * <p>A file is in {@code files} once every record of it is done (delivered, or reported as a row error),
 * or once it was skipped as a whole (see {@link ProcessedFile#skipped()}). A file being read when the
 * checkpoint was taken is {@code current}: its first {@code records} records are done. A connector reads
 * that file first on the next run, from the next record, so one crash re-sends at most what was in flight.
 *
 * @param since   files last modified before this instant are not new (they were there when the sync was
 *                created); null when the sync backfills every file in the folder
 * @param files   files processed, one entry per key, sorted by key
 * @param current the file being read at the checkpoint, or null
 */
public record FileLedger(Instant since, List<ProcessedFile> files, FilePosition current) implements Watermark {
    public FileLedger {
        List<ProcessedFile> sorted = new ArrayList<>(Objects.requireNonNull(files, "files"));
        sorted.sort(Comparator.comparing(ProcessedFile::key));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).key().equals(sorted.get(i - 1).key())) {
                throw new IllegalArgumentException("file " + sorted.get(i).key() + " is in the ledger twice");
            }
        }
        files = List.copyOf(sorted);
    }

    /** A new sync's ledger: nothing processed; files older than {@code since} (null: none) are left alone. */
    public static FileLedger startingAt(Instant since) {
        return new FileLedger(since, List.of(), null);
    }

    /**
     * A file that is done.
     *
     * @param key     the object key
     * @param etag    its ETag when it was processed (a later listing with another ETag means it changed)
     * @param size    its size in bytes
     * @param skipped null when its records were read, else why the whole file was skipped
     */
    public record ProcessedFile(String key, String etag, long size, String skipped) {
        public ProcessedFile {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(etag, "etag");
        }
    }

    /**
     * How far a file had got.
     *
     * @param key     the object key
     * @param etag    its ETag when it was read
     * @param size    its size in bytes
     * @param records how many of its records (from the first) are done
     */
    public record FilePosition(String key, String etag, long size, long records) {
        public FilePosition {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(etag, "etag");
            if (records < 0) {
                throw new IllegalArgumentException("records must not be negative, was " + records);
            }
        }
    }
}
