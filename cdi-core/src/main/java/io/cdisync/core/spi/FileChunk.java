package io.cdisync.core.spi;

import java.util.Objects;

/**
 * Where a {@link RowBatch} of a file source comes from: which file, and which of its records. A file
 * source sends each file as consecutive batches, the last one marked {@code endOfFile} (an empty file is
 * one empty batch with {@code endOfFile}); the engine records the file in the {@link FileLedger} once every
 * record of it is done.
 *
 * @param key         the object key
 * @param etag        the object's ETag (its version, as the ledger remembers it)
 * @param size        the object's size in bytes
 * @param firstRecord the number of records of this file before this batch's first row (0 for the first
 *                    batch, or where a resumed file starts); the batch's rows are the next records, one row
 *                    per record, unreadable ones included
 * @param endOfFile   true on the file's last batch
 * @param skipped     null normally; else why the whole file is skipped (too large, changed after it was
 *                    processed, a bad line in strict mode...): the batch has no rows and ends the file, and
 *                    the engine reports one row error naming the file
 */
public record FileChunk(String key, String etag, long size, long firstRecord, boolean endOfFile, String skipped) {
    public FileChunk {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
        if (firstRecord < 0) {
            throw new IllegalArgumentException("firstRecord must not be negative, was " + firstRecord);
        }
        if (skipped != null && !endOfFile) {
            throw new IllegalArgumentException("a skipped file's batch must end the file");
        }
    }

    /** A chunk of the file's records starting after {@code firstRecord}. */
    public static FileChunk records(String key, String etag, long size, long firstRecord, boolean endOfFile) {
        return new FileChunk(key, etag, size, firstRecord, endOfFile, null);
    }

    /** The whole file skipped, for {@code reason}. */
    public static FileChunk skipped(String key, String etag, long size, String reason) {
        return new FileChunk(key, etag, size, 0, true, Objects.requireNonNull(reason, "reason"));
    }
}
