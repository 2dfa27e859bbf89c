package io.cdisync.s3.internal;

import java.util.Locale;

/**
 * The file formats an S3 source reads, told apart by the object key's extension.
 *
 * <p>{@link #NDJSON} and {@link #CSV} may be gzip-compressed ({@code .json.gz}, {@code .csv.gz}): {@link
 * #fromFileName(String)} names the format of the content, {@link #isGzipped(String)} says whether the caller must
 * decompress it first. Parquet compresses inside the file, so {@code .parquet.gz} is not a Parquet file.
 */
public enum FileFormat {
    /** Newline-delimited JSON: one JSON object per line. */
    NDJSON,
    /** Comma-separated values with a header row. */
    CSV,
    /** Apache Parquet, read through DuckDB. */
    PARQUET;

    /**
     * The format of a file from its name (an S3 key or a file name); case-insensitive.
     *
     * @return {@code .json}, {@code .jsonl}, {@code .ndjson} (each optionally followed by {@code .gz}) &rarr;
     *         NDJSON; {@code .csv} (or {@code .csv.gz}) &rarr; CSV; {@code .parquet} &rarr; PARQUET; anything else null
     */
    public static FileFormat fromFileName(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".parquet")) {
            return PARQUET;
        }
        if (lower.endsWith(".gz")) {
            lower = lower.substring(0, lower.length() - 3);
        }
        if (lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
            return NDJSON;
        }
        if (lower.endsWith(".csv")) {
            return CSV;
        }
        return null;
    }

    /** Whether the file's name says it is gzip-compressed ({@code .gz}): the caller wraps the stream in a GZIPInputStream. */
    public static boolean isGzipped(String name) {
        return name != null && name.toLowerCase(Locale.ROOT).endsWith(".gz") && fromFileName(name) != null;
    }
}
