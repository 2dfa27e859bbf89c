package io.cdisync.s3.internal;

import io.cdisync.core.spi.SourceRow;
import java.io.Closeable;
import java.io.IOException;

/**
 * Reads one file's records in order as {@link SourceRow}s, in constant memory whatever the file's size.
 *
 * <p>Every record yields exactly one row: a readable one, or {@link SourceRow#unreadable(String, String)} naming
 * where the record is and what is wrong with it (never its content), after which reading goes on with the next
 * record. Row keys are {@code fileKey:line} for NDJSON and CSV (the physical line the record starts on, 1-based)
 * and {@code fileKey#row} for Parquet (1-based). Not thread-safe: one thread reads, though {@link #close()} may
 * come from another to abandon the file.
 */
public interface RecordReader extends Closeable {

    /**
     * The next record, or null at the end of the file.
     *
     * @throws IOException when the file itself cannot be read (the connection dropped, the object vanished); a
     *                     record that cannot be parsed is not an exception but an unreadable row
     */
    SourceRow next() throws IOException;

    /**
     * Skips up to {@code records} records, counting exactly as {@link #next()} does (unreadable records count, blank
     * NDJSON lines do not), to resume a file where an earlier run stopped.
     *
     * @return how many records were skipped: {@code records}, or fewer if the file ended first
     */
    default long skip(long records) throws IOException {
        if (records < 0) {
            throw new IllegalArgumentException("records must be >= 0, was " + records);
        }
        long skipped = 0;
        while (skipped < records && next() != null) {
            skipped++;
        }
        return skipped;
    }
}
