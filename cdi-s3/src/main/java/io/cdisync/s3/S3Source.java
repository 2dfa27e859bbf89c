package io.cdisync.s3;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.Watermark;
import io.cdisync.s3.internal.FileFormat;
import io.cdisync.s3.internal.S3Errors;
import io.cdisync.s3.internal.S3FileStream;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Files in an S3 folder as a CDI source: newline-delimited JSON, CSV with a header row, or Parquet, with
 * the same identifier and PAYLOAD columns as a table (no UPDATED_AT needed).
 *
 * <p>New files are found by listing the folder; the sync's {@link FileLedger} (kept by the
 * {@code WatermarkStore}) remembers each file processed, so a file is sent once, across crashes and
 * reruns, and a crash inside a file resumes at its next record. A file changed after it was processed is
 * reported, not sent again. A new sync takes only files added from its creation on, unless
 * {@link Builder#backfill(boolean)}. Files are streamed, never loaded whole; files over
 * {@link Builder#maxFileBytes(long) 512 MB} are skipped and reported. A bad line is a row error naming the
 * file and line; {@link Builder#strict(boolean) strict mode} skips the whole file instead, as Braze does.
 *
 * <pre>{@code
 * S3Source source = S3Source.builder()
 *         .bucket("acme-braze-exports").folder("users/")
 *         .region("us-east-1")                      // credentials: the SDK's default chain
 *         .fileNameSuffix(".json")
 *         .build();
 * }</pre>
 */
public final class S3Source implements SourceConnector {
    /** Braze's limit on one file. */
    public static final long DEFAULT_MAX_FILE_BYTES = 512L << 20;
    /** Longest record read; a longer line is a row error (Braze's own payload limit is far smaller). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 4 << 20;

    private final Settings settings;
    private final S3Client client;
    private final boolean ownsClient;

    private S3Source(Builder builder) {
        this.settings = new Settings(builder.bucket, normalizeFolder(builder.folder), builder.fileNamePrefix,
                builder.fileNameSuffix, builder.format, builder.backfill, builder.strict, builder.maxFileBytes,
                builder.maxRecordBytes, builder.listPageSize);
        if (builder.client != null) {
            this.client = builder.client;
            this.ownsClient = false;
        } else {
            this.client = builder.buildClient();
            this.ownsClient = true;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Watermark initialPosition(Instant createdAt) {
        return FileLedger.startingAt(settings.backfill() ? null : createdAt);
    }

    @Override
    public RowStream read(ReadRequest request) {
        return new S3FileStream(client, settings, request.ledger(), request.batchSize(), describe());
    }

    /** Lists the folder (one page): the bucket exists, and the credentials may list and read it. */
    @Override
    public void check() {
        try {
            client.listObjectsV2(ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(settings.folder())
                    .maxKeys(1).build());
        } catch (RuntimeException e) {
            throw S3Errors.map(e, "list " + describe());
        }
    }

    @Override
    public String describe() {
        return "s3://" + settings.bucket() + "/" + settings.folder();
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "S3Source{" + describe() + "}";
    }

    private static String normalizeFolder(String folder) {
        if (folder == null || folder.isEmpty() || folder.equals("/")) {
            return "";
        }
        String trimmed = folder.startsWith("/") ? folder.substring(1) : folder;
        return trimmed.endsWith("/") ? trimmed : trimmed + "/";
    }

    /**
     * What the stream needs to know (internal: the connector's settings as given to its builder).
     *
     * @param bucket         the bucket
     * @param folder         the key prefix of the folder, "" or ending in "/"
     * @param fileNamePrefix only files whose name (the key after the folder) starts with this, or null
     * @param fileNameSuffix only files whose name ends with this, or null
     * @param format         the files' format, or null to go by each file's extension
     * @param backfill       new syncs take files that were already there
     * @param strict         one bad record skips its whole file
     * @param maxFileBytes   larger files are skipped and reported
     * @param maxRecordBytes longer records are row errors
     * @param listPageSize   keys per listing request
     */
    public record Settings(String bucket, String folder, String fileNamePrefix, String fileNameSuffix, FileFormat format,
            boolean backfill, boolean strict, long maxFileBytes, int maxRecordBytes, int listPageSize) {
    }

    /** Builds an {@link S3Source}. */
    public static final class Builder {
        private String bucket;
        private String folder = "";
        private String fileNamePrefix;
        private String fileNameSuffix;
        private FileFormat format;
        private boolean backfill;
        private boolean strict;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private int listPageSize = 1000;
        private String region;
        private URI endpoint;
        private boolean pathStyle;
        private Supplier<AwsCredentialsProvider> credentials;
        private String roleArn;
        private String externalId;
        private S3Client client;

        private Builder() {
        }

        /** The bucket (required). */
        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** The folder (key prefix) the files are in; the bucket's root when not set. */
        public Builder folder(String folder) {
            this.folder = folder;
            return this;
        }

        /** Only files whose name (key after the folder) starts with this. */
        public Builder fileNamePrefix(String prefix) {
            this.fileNamePrefix = prefix;
            return this;
        }

        /** Only files whose name ends with this, e.g. {@code ".csv"}. */
        public Builder fileNameSuffix(String suffix) {
            this.fileNameSuffix = suffix;
            return this;
        }

        /**
         * The files' format: {@code ndjson}, {@code csv} or {@code parquet}. By default each file's extension
         * decides ({@code .json .jsonl .ndjson}, {@code .csv}, {@code .parquet}); other files are reported and skipped.
         */
        public Builder format(String format) {
            this.format = format == null ? null : FileFormat.valueOf(format.trim().toUpperCase(java.util.Locale.ROOT));
            return this;
        }

        /** Also take the files that were in the folder when the sync was created (Braze takes only later ones). */
        public Builder backfill(boolean backfill) {
            this.backfill = backfill;
            return this;
        }

        /** Skip a whole file when one record of it cannot be read (Braze's behaviour); off: report the record, send the rest. */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /** Files larger than this are skipped and reported; 512 MB (Braze's limit) by default. */
        public Builder maxFileBytes(long maxFileBytes) {
            if (maxFileBytes < 1) {
                throw new IllegalArgumentException("maxFileBytes must be positive, was " + maxFileBytes);
            }
            this.maxFileBytes = maxFileBytes;
            return this;
        }

        /** Records longer than this are row errors; 4 MiB by default. */
        public Builder maxRecordBytes(int maxRecordBytes) {
            if (maxRecordBytes < 1024) {
                throw new IllegalArgumentException("maxRecordBytes must be at least 1024, was " + maxRecordBytes);
            }
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        /** Keys per listing request (S3's maximum and default: 1000). */
        public Builder listPageSize(int keys) {
            if (keys < 1 || keys > 1000) {
                throw new IllegalArgumentException("listPageSize must be 1 to 1000, was " + keys);
            }
            this.listPageSize = keys;
            return this;
        }

        /** The bucket's region, e.g. {@code us-east-1}; the SDK's default region chain when not set. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** An S3-compatible endpoint instead of AWS's (e.g. {@code http://127.0.0.1:9000}). */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Path-style URLs ({@code endpoint/bucket/key}), which most S3-compatible stores need. */
        public Builder pathStyleAccess(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /** An access key pair; by default the SDK's default chain (environment, profile, instance role...). */
        public Builder accessKey(String accessKeyId, Secret secretAccessKey) {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            this.credentials = () -> StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey.reveal()));
            return this;
        }

        /** Any credentials provider of the AWS SDK. */
        public Builder credentials(AwsCredentialsProvider provider) {
            Objects.requireNonNull(provider, "provider");
            this.credentials = () -> provider;
            return this;
        }

        /**
         * Assume this IAM role (with the base credentials: an access key, a provider, or the default chain),
         * as Braze's S3 setup does; {@code externalId} may be null.
         */
        public Builder assumeRole(String roleArn, String externalId) {
            this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
            this.externalId = externalId;
            return this;
        }

        /** A client built by the caller (tests, custom HTTP settings); the source does not close it. */
        public Builder client(S3Client client) {
            this.client = client;
            return this;
        }

        public S3Source build() {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalStateException("bucket is required");
            }
            return new S3Source(this);
        }

        private S3Client buildClient() {
            AwsCredentialsProvider base = credentials != null ? credentials.get() : DefaultCredentialsProvider.builder().build();
            AwsCredentialsProvider provider = base;
            if (roleArn != null) {
                StsClient sts = StsClient.builder().credentialsProvider(base)
                        .region(region == null ? Region.AWS_GLOBAL : Region.of(region)).build();
                provider = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                        .refreshRequest(r -> {
                            r.roleArn(roleArn).roleSessionName("cdi-sync");
                            if (externalId != null) {
                                r.externalId(externalId);
                            }
                        }).build();
            }
            var builder = S3Client.builder().credentialsProvider(provider).forcePathStyle(pathStyle);
            if (region != null) {
                builder.region(Region.of(region));
            }
            if (endpoint != null) {
                builder.endpointOverride(endpoint);
            }
            try {
                return builder.build();
            } catch (RuntimeException e) {
                throw new CdiException.ConfigurationError("cannot set up the S3 client: " + e.getMessage(), e);
            }
        }
    }
}
