package io.cdisync.s3.internal;

import io.cdisync.core.spi.FileChunk;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.s3.S3Source;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One run's read of an S3 folder: the ledger's current file first (from its next record), then every
 * listed file the ledger does not hold, in listing (key) order, each as consecutive batches ending with
 * {@code endOfFile}. The listing is paged lazily, so memory does not grow with the folder.
 */
public final class S3FileStream implements RowStream {
    private static final Logger log = LoggerFactory.getLogger(S3FileStream.class);

    private final S3Client client;
    private final S3Source.Settings settings;
    private final FileLedger ledger;
    private final Map<String, FileLedger.ProcessedFile> processed = new HashMap<>();
    private final int batchSize;
    private final String description;
    private Iterator<S3Object> listing;
    private boolean currentHandled;
    private S3ObjectReader open;
    private volatile boolean closed;

    public S3FileStream(S3Client client, S3Source.Settings settings, FileLedger ledger, int batchSize, String description) {
        this.client = client;
        this.settings = settings;
        this.ledger = ledger;
        this.batchSize = batchSize;
        this.description = description;
        for (FileLedger.ProcessedFile file : ledger.files()) {
            processed.put(file.key(), file);
        }
    }

    @Override
    public RowBatch nextBatch() {
        while (!closed) {
            if (open != null) {
                RowBatch batch = open.nextBatch(batchSize);
                if (open.finished()) {
                    open.close();
                    open = null;
                }
                return batch;
            }
            RowBatch decided = nextFile();
            if (decided != null) {
                return decided;
            }
            if (open == null && !listing().hasNext() && currentHandled) {
                return null;
            }
        }
        return null;
    }

    /** Picks the next file: returns a batch when the file is skipped as a whole, or opens it and returns null. */
    private RowBatch nextFile() {
        if (!currentHandled) {
            currentHandled = true;
            FileLedger.FilePosition current = ledger.current();
            if (current != null) {
                return resumeCurrent(current);
            }
        }
        Iterator<S3Object> files = listing();
        while (files.hasNext()) {
            S3Object object = files.next();
            String key = object.key();
            String name = key.substring(settings.folder().length());
            if (key.endsWith("/") || !matches(name)) {
                continue;
            }
            if (ledger.current() != null && key.equals(ledger.current().key())) {
                continue;
            }
            String etag = object.eTag();
            FileLedger.ProcessedFile done = processed.get(key);
            if (done != null) {
                if (done.etag().equals(etag)) {
                    continue;
                }
                return skipped(key, etag, object.size(), "changed after it was processed (its ETag is now " + etag
                        + ", was " + done.etag() + "); not sent again. Upload changed data as a new file");
            }
            if (ledger.since() != null && object.lastModified().isBefore(ledger.since())) {
                continue;
            }
            return start(key, etag, object.size(), object.lastModified(), 0);
        }
        return null;
    }

    private RowBatch resumeCurrent(FileLedger.FilePosition current) {
        HeadObjectResponse head;
        try {
            head = client.headObject(r -> r.bucket(settings.bucket()).key(current.key()));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return skipped(current.key(), current.etag(), current.size(), "disappeared while it was being read; its first "
                        + current.records() + " records were sent, the rest were not");
            }
            throw S3Errors.map(e, "read s3://" + settings.bucket() + "/" + current.key());
        } catch (RuntimeException e) {
            throw S3Errors.map(e, "read s3://" + settings.bucket() + "/" + current.key());
        }
        if (!current.etag().equals(head.eTag())) {
            return skipped(current.key(), head.eTag(), head.contentLength(), "changed while it was being read (its ETag is now "
                    + head.eTag() + ", was " + current.etag() + "); its first " + current.records()
                    + " records were sent, the rest were not. Upload changed data as a new file");
        }
        log.info("{}: resuming {} after record {}", description, current.key(), current.records());
        return start(current.key(), current.etag(), current.size(), head.lastModified(), current.records());
    }

    private RowBatch start(String key, String etag, long size, Instant lastModified, long skipRecords) {
        if (size > settings.maxFileBytes()) {
            return skipped(key, etag, size, "is " + size + " bytes; files over " + settings.maxFileBytes()
                    + " bytes are not read. Split it into smaller files");
        }
        FileFormat format = settings.format() != null ? settings.format() : FileFormat.fromFileName(key);
        if (format == null) {
            return skipped(key, etag, size, "has no known extension (.json, .jsonl, .ndjson, .csv, .parquet) and the source"
                    + " has no format set; set the source's format or a file name suffix filter");
        }
        S3ObjectReader reader = new S3ObjectReader(client, settings, key, etag, size, lastModified, format);
        try {
            if (settings.strict() && skipRecords == 0) {
                String problem = reader.firstProblem();
                if (problem != null) {
                    reader.close();
                    return skipped(key, etag, size, problem + " (strict mode skips a file with any unreadable record)");
                }
            }
            reader.open(skipRecords);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
        if (reader.unreadable() != null) {
            reader.close();
            return new RowBatch(List.of(), FileChunk.skipped(key, etag, size, reader.unreadable()));
        }
        if (reader.gone()) {
            // Changed between the listing and the read: not processed, so the next run sees it as a new file.
            reader.close();
            return null;
        }
        open = reader;
        return null;
    }

    private RowBatch skipped(String key, String etag, long size, String reason) {
        log.warn("{}: skipping {}: it {}", description, key, reason);
        return new RowBatch(List.of(), FileChunk.skipped(key, etag, size, "file " + key + " " + reason));
    }

    private boolean matches(String name) {
        return (settings.fileNamePrefix() == null || name.startsWith(settings.fileNamePrefix()))
                && (settings.fileNameSuffix() == null || name.endsWith(settings.fileNameSuffix()));
    }

    private Iterator<S3Object> listing() {
        if (listing == null) {
            Iterator<S3Object> pages = client.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(settings.bucket())
                    .prefix(settings.folder()).maxKeys(settings.listPageSize()).build()).contents().iterator();
            listing = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    try {
                        return pages.hasNext();
                    } catch (RuntimeException e) {
                        throw S3Errors.map(e, "list " + description);
                    }
                }

                @Override
                public S3Object next() {
                    try {
                        return pages.next();
                    } catch (RuntimeException e) {
                        throw S3Errors.map(e, "list " + description);
                    }
                }
            };
        }
        return listing;
    }

    @Override
    public void close() {
        closed = true;
        S3ObjectReader reader = open;
        if (reader != null) {
            reader.close();
        }
    }
}
