package io.cdisync.bigquery.internal;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.DataFormatOptions;
import com.google.cloud.http.HttpTransportOptions;
import io.cdisync.core.DataType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A source's validated settings, and the client they make.
 *
 * @param table          the table to read
 * @param jobProject     the project that runs (and pays for) the query jobs
 * @param location       the jobs' location (e.g. {@code EU}), or null to let BigQuery infer it
 * @param credentials    the credentials; never printed
 * @param host           the API root URL, or null for Google's
 * @param required       column groups the table must have, each satisfied by any one of its columns
 * @param forbidden      columns the table must not have
 * @param pageSize       the most rows per result page
 * @param jobTimeout     how long BigQuery may run a query job
 * @param requestTimeout HTTP connect and read timeout per request
 * @param maxAttempts    attempts per API call on transient failures (the client's own retries)
 */
public record SourceConfig(TableRef table, String jobProject, String location, Credentials credentials, String host,
        List<Set<CdiColumn>> required, Set<CdiColumn> forbidden, int pageSize, Duration jobTimeout, Duration requestTimeout,
        int maxAttempts) {

    private static final Set<CdiColumn> USER_IDENTIFIERS = EnumSet.of(CdiColumn.EXTERNAL_ID, CdiColumn.ALIAS_NAME,
            CdiColumn.BRAZE_ID, CdiColumn.EMAIL, CdiColumn.PHONE);
    private static final Set<CdiColumn> DELETE_IDENTIFIERS = EnumSet.of(CdiColumn.EXTERNAL_ID, CdiColumn.ALIAS_NAME,
            CdiColumn.BRAZE_ID);

    public SourceConfig {
        required = List.copyOf(required);
        forbidden = forbidden.isEmpty() ? Set.of() : Set.copyOf(forbidden);
    }

    /** What a table of {@code dataType} needs: UPDATED_AT, and an identifier column (user data) or ID (catalogs). */
    public static List<Set<CdiColumn>> requiredFor(DataType dataType) {
        return switch (dataType) {
            case CATALOG_ITEMS -> List.of(EnumSet.of(CdiColumn.UPDATED_AT), EnumSet.of(CdiColumn.ID));
            case USER_DELETES -> List.of(EnumSet.of(CdiColumn.UPDATED_AT), DELETE_IDENTIFIERS);
            default -> List.of(EnumSet.of(CdiColumn.UPDATED_AT), USER_IDENTIFIERS);
        };
    }

    /** What a table of {@code dataType} must not have: a PAYLOAD for user deletes (Braze's rule). */
    public static Set<CdiColumn> forbiddenFor(DataType dataType) {
        return dataType == DataType.USER_DELETES ? EnumSet.of(CdiColumn.PAYLOAD) : EnumSet.noneOf(CdiColumn.class);
    }

    /** Checks an API root URL: http or https with a host; drops a trailing slash. */
    public static String checkHost(String host) {
        Objects.requireNonNull(host, "host");
        URI uri;
        try {
            uri = new URI(host);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("host '" + host + "' is not a URL", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("host '" + host + "' must be an http or https URL");
        }
        return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
    }

    /** Checks a duration is positive and fits the client's int milliseconds. */
    public static Duration checkPositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be positive and under 24 days, was " + value);
        }
        return value;
    }

    /** Parses column groups given by name (CDI names, any case); refuses empty groups and other names. */
    public static List<Set<CdiColumn>> parseGroups(List<? extends Collection<String>> groups) {
        Objects.requireNonNull(groups, "requiredColumns");
        List<Set<CdiColumn>> parsed = new ArrayList<>();
        for (Collection<String> group : groups) {
            if (Objects.requireNonNull(group, "requiredColumns group").isEmpty()) {
                throw new IllegalArgumentException("requiredColumns must not contain an empty group");
            }
            parsed.add(Set.copyOf(group.stream().map(CdiColumn::parse).toList()));
        }
        return List.copyOf(parsed);
    }

    /** A client for these settings. Creating it contacts nothing. */
    public BigQuery newClient() {
        int timeoutMillis = Math.toIntExact(requestTimeout.toMillis());
        RetrySettings retries = ServiceOptions.getDefaultRetrySettings().toBuilder().setMaxAttempts(maxAttempts).build();
        BigQueryOptions.Builder options = BigQueryOptions.newBuilder()
                .setProjectId(jobProject)
                .setCredentials(credentials)
                // Timestamps as int64 microseconds: the API's default float seconds can lose the last microsecond,
                // and a watermark one microsecond off can skip a row.
                .setDataFormatOptions(DataFormatOptions.newBuilder().useInt64Timestamp(true).build())
                .setRetrySettings(retries)
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(timeoutMillis).setReadTimeout(timeoutMillis).build());
        if (location != null) {
            options.setLocation(location);
        }
        if (host != null) {
            options.setHost(host);
        }
        return options.build().getService();
    }

    @Override
    public String toString() {
        return "SourceConfig{table=" + table + ", jobProject=" + jobProject + ", location=" + location + ", host=" + host
                + ", pageSize=" + pageSize + ", jobTimeout=" + jobTimeout + "}";
    }
}
