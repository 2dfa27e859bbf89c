package io.cdisync.s3.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.FileChunk;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.s3.S3Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Reads one object's records as batches, streaming: a GET pinned to the listed ETag (so a file replaced
 * meanwhile is not read as a mix), records counted from the first so that a resumed or re-opened read
 * skips exactly the records already handed out. A connection lost mid-file is re-opened a few times from
 * the record it had reached. Parquet files are first copied to a temporary file (the format keeps its
 * index at the end of the file).
 */
final class S3ObjectReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3ObjectReader.class);
    private static final int REOPEN_ATTEMPTS = 3;

    private final S3Client client;
    private final S3Source.Settings settings;
    private final String key;
    private final String etag;
    private final long size;
    private final Instant lastModified;
    private final FileFormat format;
    private ResponseInputStream<GetObjectResponse> body;
    private RecordReader reader;
    private Path parquetCopy;
    private long consumed;
    private SourceRow lookahead;
    private boolean eof;
    private boolean finished;
    private boolean gone;
    private String unreadable;

    S3ObjectReader(S3Client client, S3Source.Settings settings, String key, String etag, long size, Instant lastModified,
            FileFormat format) {
        this.client = client;
        this.settings = settings;
        this.key = key;
        this.etag = etag;
        this.size = size;
        this.lastModified = lastModified;
        this.format = format;
    }

    /** Reads the whole file once; returns what is wrong with its first unreadable record, or null. */
    String firstProblem() {
        if (!openReader()) {
            return null;
        }
        try {
            SourceRow row;
            while ((row = readNext()) != null) {
                if (row.payload() instanceof SourceRow.Unreadable unreadable) {
                    return "has an unreadable record at " + row.rowKey() + ": " + unreadable.reason();
                }
            }
            return null;
        } finally {
            closeReader(false);
            consumed = 0;
            eof = false;
        }
    }

    /** Opens the file and skips its first {@code records} records. */
    void open(long records) {
        if (!openReader()) {
            return;
        }
        try {
            skip(records);
            lookahead = readNext();
        } catch (UnreadableFileException e) {
            unreadable = e.getMessage() + " (the rest of the file was not read)";
        } catch (IOException e) {
            throw readFailure(consumed, e);
        }
    }

    /** Why the file cannot be read at all (not Parquet, a broken CSV header...), or null. */
    String unreadable() {
        return unreadable;
    }

    /** True when the file changed (or vanished) between the listing and the read. */
    boolean gone() {
        return gone;
    }

    boolean finished() {
        return finished;
    }

    RowBatch nextBatch(int batchSize) {
        if (unreadable != null) {
            finished = true;
            return new RowBatch(List.of(), FileChunk.skipped(key, etag, size, unreadable));
        }
        long first = consumed - (lookahead == null ? 0 : 1);
        List<SourceRow> rows = new ArrayList<>(Math.min(batchSize, 4096));
        while (lookahead != null && rows.size() < batchSize) {
            rows.add(lookahead);
            lookahead = readNext();
        }
        finished = lookahead == null && unreadable == null;
        return new RowBatch(rows, FileChunk.records(key, etag, size, first, finished));
    }

    /** The next record, re-opening the object from the record reached when the connection is lost. */
    private SourceRow readNext() {
        if (eof) {
            return null;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                SourceRow row = reader.next();
                if (row == null) {
                    eof = true;
                    return null;
                }
                consumed++;
                return row;
            } catch (UnreadableFileException e) {
                unreadable = e.getMessage() + " (after record " + consumed + "; the rest of the file was not read)";
                eof = true;
                return null;
            } catch (IOException | UncheckedIOException e) {
                IOException cause = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
                if (attempt > REOPEN_ATTEMPTS || format == FileFormat.PARQUET) {
                    throw readFailure(consumed, cause);
                }
                log.warn("reading s3://{}/{} failed after record {} ({}); reading again from there", settings.bucket(), key,
                        consumed, cause.toString());
                long reached = consumed;
                closeReader(true);
                if (!openReader()) {
                    throw readFailure(reached,
                            new IOException("the file changed while it was being read"));
                }
                try {
                    consumed = 0;
                    skip(reached);
                } catch (IOException again) {
                    if (attempt >= REOPEN_ATTEMPTS) {
                        throw readFailure(reached, again);
                    }
                }
            }
        }
    }

    private CdiException readFailure(long record, IOException e) {
        return new CdiException.ConnectionFailed("reading s3://" + settings.bucket() + "/" + key + " failed after record "
                + record + ": " + e.getMessage() + "; the next run resumes the file from its last record delivered", e);
    }

    private void skip(long records) throws IOException {
        if (records > 0) {
            long skipped = reader.skip(records);
            consumed += skipped;
            if (skipped < records) {
                eof = true;
            }
        }
    }

    private boolean openReader() {
        if (parquetCopy != null) {
            try {
                reader = RecordReaders.openParquet(key, parquetCopy, lastModified);
                return true;
            } catch (UnreadableFileException e) {
                unreadable = e.getMessage();
                return false;
            } catch (IOException e) {
                throw readFailure(consumed, e);
            }
        }
        try {
            body = client.getObject(r -> r.bucket(settings.bucket()).key(key).ifMatch(etag));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                gone = true;
                return false;
            }
            throw S3Errors.map(e, "read s3://" + settings.bucket() + "/" + key);
        } catch (RuntimeException e) {
            throw S3Errors.map(e, "read s3://" + settings.bucket() + "/" + key);
        }
        try {
            InputStream content = FileFormat.isGzipped(key) ? new GZIPInputStream(body, 64 * 1024) : body;
            if (format == FileFormat.PARQUET) {
                parquetCopy = Files.createTempFile("cdi-s3-", ".parquet");
                try (InputStream in = body) {
                    Files.copy(in, parquetCopy, StandardCopyOption.REPLACE_EXISTING);
                }
                body = null;
                reader = RecordReaders.openParquet(key, parquetCopy, lastModified);
            } else {
                reader = RecordReaders.open(format, key, content, lastModified, settings.maxRecordBytes());
            }
            return true;
        } catch (UnreadableFileException e) {
            closeReader(true);
            unreadable = e.getMessage();
            return false;
        } catch (IOException e) {
            closeReader(true);
            throw readFailure(consumed, e);
        }
    }

    private void closeReader(boolean abort) {
        if (body != null && (abort || !eof)) {
            body.abort(); // do not drain the rest of a large object to close it
        }
        try {
            if (reader != null) {
                reader.close();
            }
        } catch (IOException e) {
            log.debug("closing the reader of {}: {}", key, e.toString());
        }
        reader = null;
        body = null;
    }

    @Override
    public void close() {
        closeReader(!finished);
        if (parquetCopy != null) {
            try {
                Files.deleteIfExists(parquetCopy);
            } catch (IOException e) {
                log.debug("deleting {}: {}", parquetCopy, e.toString());
            }
            parquetCopy = null;
        }
    }
}
