package io.cdisync.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Opens a {@link RecordReader} for a file of a given {@link FileFormat}.
 *
 * <p>NDJSON and CSV stream from an {@link InputStream} (already decompressed if the file was gzipped); Parquet
 * needs random access, so the caller downloads it to a local file first. Each reader takes the file's S3
 * LastModified time as the UPDATED_AT of records that have none.
 */
public final class RecordReaders {
    /** The default limit on one NDJSON line or one CSV value: Braze's 1 MB payload limit, with room for identifiers. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 2 * 1024 * 1024;

    private RecordReaders() {
    }

    /**
     * A reader of {@code in}, which it owns and closes.
     *
     * @param format         NDJSON or CSV; PARQUET needs {@link #openParquet(String, Path, Instant)}
     * @param fileKey        the S3 key, the first part of every row key
     * @param fileTime       the file's LastModified, for records without UPDATED_AT
     * @param maxRecordBytes the longest NDJSON line (or CSV value) read; a longer one is an unreadable record
     * @throws UnreadableFileException if a CSV file's header is not valid CSV
     * @throws IllegalArgumentException for PARQUET or a {@code maxRecordBytes} below 1
     */
    public static RecordReader open(FileFormat format, String fileKey, InputStream in, Instant fileTime, int maxRecordBytes)
            throws IOException {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(fileKey, "fileKey");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(fileTime, "fileTime");
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1, was " + maxRecordBytes);
        }
        return switch (format) {
            case NDJSON -> new NdjsonRecordReader(fileKey, in, fileTime, maxRecordBytes);
            case CSV -> openCsv(fileKey, in, fileTime, maxRecordBytes);
            case PARQUET -> throw new IllegalArgumentException(
                    "Parquet is read from a local file: download it and call openParquet (file " + fileKey + ")");
        };
    }

    private static RecordReader openCsv(String fileKey, InputStream in, Instant fileTime, int maxRecordBytes) throws IOException {
        try {
            return new CsvRecordReader(fileKey, in, fileTime, maxRecordBytes);
        } catch (IOException | RuntimeException e) {
            try {
                in.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * A reader of a local Parquet file, through DuckDB.
     *
     * @param fileKey  the S3 key the file was downloaded from, the first part of every row key
     * @param file     the downloaded file; the caller deletes it after closing the reader
     * @param fileTime the file's LastModified, for records without UPDATED_AT
     * @throws UnreadableFileException if the file is not a Parquet file DuckDB can read
     * @throws IOException             if DuckDB ({@code org.duckdb:duckdb_jdbc}) is not on the classpath, or fails
     */
    public static RecordReader openParquet(String fileKey, Path file, Instant fileTime) throws IOException {
        Objects.requireNonNull(fileKey, "fileKey");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(fileTime, "fileTime");
        return new ParquetRecordReader(fileKey, file, fileTime);
    }
}
