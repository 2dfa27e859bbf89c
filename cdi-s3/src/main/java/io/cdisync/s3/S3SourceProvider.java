package io.cdisync.s3;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import java.net.URI;
import java.util.Set;

/**
 * {@code type: s3} for config-driven use: {@code bucket}, {@code folder}, {@code fileNamePrefix},
 * {@code fileNameSuffix}, {@code format} ({@code ndjson}, {@code csv}, {@code parquet}; by extension when
 * absent), {@code region}, {@code endpoint} (S3-compatible stores, with {@code pathStyleAccess}),
 * {@code accessKeyId} + {@code secretAccessKey} (else the SDK's default chain), {@code roleArn} +
 * {@code externalId}, {@code backfill}, {@code strict}, {@code maxFileBytes}.
 */
public final class S3SourceProvider implements SourceProvider {
    @Override
    public String type() {
        return "s3";
    }

    @Override
    public Set<String> keys() {
        return Set.of("bucket", "folder", "fileNamePrefix", "fileNameSuffix", "format", "region", "endpoint",
                "pathStyleAccess", "accessKeyId", "secretAccessKey", "roleArn", "externalId", "backfill", "strict",
                "maxFileBytes", "dataType");
    }

    @Override
    public SourceConnector create(SourceSettings settings) {
        S3Source.Builder builder = S3Source.builder().bucket(settings.required("bucket"));
        settings.optional("folder").ifPresent(builder::folder);
        settings.optional("fileNamePrefix").ifPresent(builder::fileNamePrefix);
        settings.optional("fileNameSuffix").ifPresent(builder::fileNameSuffix);
        settings.optional("region").ifPresent(builder::region);
        settings.bool("pathStyleAccess").ifPresent(builder::pathStyleAccess);
        settings.bool("backfill").ifPresent(builder::backfill);
        settings.bool("strict").ifPresent(builder::strict);
        settings.optional("maxFileBytes").ifPresent(v -> builder.maxFileBytes(parseLong("maxFileBytes", v)));
        try {
            settings.optional("format").ifPresent(builder::format);
        } catch (IllegalArgumentException e) {
            throw new CdiException.ConfigurationError("source.format: '" + settings.optional("format").orElse("")
                    + "' is not one of ndjson, csv, parquet");
        }
        settings.optional("endpoint").ifPresent(e -> builder.endpoint(URI.create(e)));
        boolean keyId = settings.optional("accessKeyId").isPresent();
        boolean secret = settings.optional("secretAccessKey").isPresent();
        if (keyId != secret) {
            throw new CdiException.ConfigurationError("source.accessKeyId / source.secretAccessKey: give both, or neither"
                    + " to use the AWS SDK's default credentials chain");
        }
        if (keyId) {
            builder.accessKey(settings.required("accessKeyId"), settings.secret("secretAccessKey"));
        }
        settings.optional("roleArn").ifPresent(role -> builder.assumeRole(role, settings.optional("externalId").orElse(null)));
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CdiException.ConfigurationError("source: " + e.getMessage());
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new CdiException.ConfigurationError("source." + key + ": '" + value + "' is not a number of bytes");
        }
    }
}
