package io.cdisync.bigquery;

import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceProvider;
import io.cdisync.core.spi.SourceSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * {@code type: bigquery} for config-driven use: {@code projectId} (optional: the key's project),
 * {@code dataset}, {@code table}, {@code location}, and the service-account key as a file
 * ({@code serviceAccountKeyFile}) or as JSON text ({@code serviceAccountKey}, e.g. from an environment
 * variable); optional {@code pageSize}. The host passes the sync's {@code dataType}.
 */
public final class BigQuerySourceProvider implements SourceProvider {
    @Override
    public String type() {
        return "bigquery";
    }

    @Override
    public Set<String> keys() {
        return Set.of("projectId", "dataset", "table", "location", "serviceAccountKeyFile", "serviceAccountKey", "pageSize",
                "dataType");
    }

    @Override
    public SourceConnector create(SourceSettings settings) {
        BigQuerySource.Builder builder = BigQuerySource.builder().dataset(settings.required("dataset"))
                .table(settings.required("table"));
        settings.optional("projectId").ifPresent(builder::projectId);
        settings.optional("location").ifPresent(builder::location);
        settings.integer("pageSize").ifPresent(builder::pageSize);
        settings.optional("dataType").ifPresent(t -> builder.dataType(DataType.valueOf(t.toUpperCase(Locale.ROOT))));
        boolean file = settings.optional("serviceAccountKeyFile").isPresent();
        boolean text = settings.optional("serviceAccountKey").isPresent();
        if (file == text) {
            throw new CdiException.ConfigurationError("source.serviceAccountKeyFile / source.serviceAccountKey: give exactly"
                    + " one (the service account's JSON key, as a file path or as its text)");
        }
        if (file) {
            builder.serviceAccountKeyFile(Path.of(settings.required("serviceAccountKeyFile")));
        } else {
            builder.serviceAccountKey(settings.secret("serviceAccountKey"));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CdiException.ConfigurationError("source: " + e.getMessage());
        }
    }
}
