package io.cdisync.bigquery;

import com.google.auth.Credentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import io.cdisync.bigquery.internal.BigQueryFailures;
import io.cdisync.bigquery.internal.BigQueryFailures.Step;
import io.cdisync.bigquery.internal.CdiColumn;
import io.cdisync.bigquery.internal.IncrementalQuery;
import io.cdisync.bigquery.internal.ResultStream;
import io.cdisync.bigquery.internal.RowMapper;
import io.cdisync.bigquery.internal.ServiceAccountKeys;
import io.cdisync.bigquery.internal.SourceConfig;
import io.cdisync.bigquery.internal.TableColumns;
import io.cdisync.bigquery.internal.TableRef;
import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceRow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a CDI source table from BigQuery through Google's client ({@code google-cloud-bigquery}).
 *
 * <p>Each read discovers the table's CDI columns from its schema (names match case-insensitively), then
 * runs one query job with named TIMESTAMP parameters:
 * {@code SELECT <the CDI columns present> FROM `project`.`dataset`.`table` WHERE UPDATED_AT >= @since AND
 * UPDATED_AT <= @until ORDER BY UPDATED_AT} (no {@code @since} on a sync's first run), and streams the
 * result page by page ({@code tabledata.list} with a page token), in {@link io.cdisync.core.spi.RowBatch}es of at
 * most the engine's batch size. The columns it requires follow from {@link Builder#dataType(DataType)}.
 *
 * <pre>{@code
 * BigQuerySource source = BigQuerySource.builder()
 *         .projectId("acme-analytics")
 *         .dataset("braze")
 *         .table("users_sync")
 *         .serviceAccountKeyFile(Path.of("/etc/cdi/bigquery-key.json"))
 *         .build();
 * }</pre>
 *
 * <p>The service account needs "BigQuery Job User" (roles/bigquery.jobUser) on the project that runs the
 * jobs and "BigQuery Data Viewer" (roles/bigquery.dataViewer) on the dataset or table. Failures arrive as
 * {@link CdiException} subclasses whose message names the missing role, table or setting.
 *
 * <p>Immutable and thread-safe; {@link #read} may be called again for every run.
 */
public final class BigQuerySource implements SourceConnector {
    private static final Logger LOG = LoggerFactory.getLogger(BigQuerySource.class);

    private final Builder origin;
    private final SourceConfig settings;
    private final BigQuery bigquery;
    private final TableRef table;

    private BigQuerySource(Builder origin, SourceConfig settings) {
        this.origin = origin;
        this.settings = settings;
        this.table = settings.table();
        this.bigquery = settings.newClient();
    }

    /** A builder; the table coordinates and one kind of credentials are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this source's settings, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(origin);
    }

    /**
     * Runs the incremental query and returns its result as a stream of pages. Called by the engine on the
     * sync's thread; blocks while BigQuery reads the table's schema and runs the job (polling it when it
     * takes longer than BigQuery's first answer), up to the job timeout.
     *
     * @throws CdiException.ConfigurationError when the table, a required column or the right column types are missing
     * @throws CdiException.AccessDenied       when the credentials are refused or lack a role (named in the message)
     * @throws CdiException.ConnectionFailed   when BigQuery cannot be reached
     */
    @Override
    public RowStream read(ReadRequest request) {
        Objects.requireNonNull(request, "request");
        TableColumns columns = columns();
        long pageSize = Math.min(request.batchSize(), settings.pageSize());
        QueryJobConfiguration config = IncrementalQuery.read(table, columns, request.from(), request.until(), pageSize, settings.jobTimeout());
        LOG.debug("querying {} from {} until {}, {} rows a page", table, request.from(), request.until(), pageSize);
        TableResult first = query(config);
        return new ResultStream(bigquery, first, new RowMapper(columns.selected()), pageSize, table, settings.jobProject());
    }

    /**
     * Tests the connection: the dataset and table are readable, the table has the columns the data type
     * needs with types cdi can read, and the service account may run query jobs (checked with a dry run of
     * the sync's query, which reads no rows and costs nothing).
     *
     * @throws CdiException with a message that says what to fix
     */
    @Override
    public void check() {
        TableColumns columns = columns();
        try {
            bigquery.create(JobInfo.of(IncrementalQuery.dryRun(table, columns, Clock.systemUTC().instant())));
        } catch (RuntimeException e) {
            throw BigQueryFailures.classify(e, Step.RUN_QUERY, table, settings.jobProject());
        }
        LOG.info("BigQuery table {} is readable with columns {}", table, columns.names());
    }

    /**
     * The newest rows of the table, newest first: what a connection test shows before the first sync.
     * Runs a (billed) query with {@code LIMIT n}.
     *
     * @param n how many rows, 1 to 1,000
     * @throws CdiException like {@link #read}
     */
    public List<SourceRow> preview(int n) {
        if (n < 1 || n > 1_000) {
            throw new IllegalArgumentException("preview size must be 1 to 1000, was " + n);
        }
        TableColumns columns = columns();
        TableResult result = query(IncrementalQuery.preview(table, columns, n, settings.jobTimeout()));
        RowMapper mapper = new RowMapper(columns.selected());
        List<SourceRow> rows = new ArrayList<>();
        for (FieldValueList row : result.getValues()) {
            if (rows.size() == n) {
                break;
            }
            rows.add(mapper.map(row));
        }
        return rows;
    }

    /** {@code bigquery table project.dataset.table}; no credentials. */
    @Override
    public String describe() {
        return "bigquery table " + table;
    }

    @Override
    public String toString() {
        return "BigQuerySource{" + table + "}";
    }

    private TableColumns columns() {
        Table found;
        try {
            found = bigquery.getTable(TableId.of(table.project(), table.dataset(), table.table()));
        } catch (RuntimeException e) {
            throw BigQueryFailures.classify(e, Step.READ_TABLE, table, settings.jobProject());
        }
        if (found == null || found.getDefinition() == null) {
            // The client answers a 404 with null and drops BigQuery's message: ask whether the dataset is there.
            boolean datasetExists;
            try {
                datasetExists = bigquery.getDataset(DatasetId.of(table.project(), table.dataset())) != null;
            } catch (RuntimeException e) {
                throw BigQueryFailures.classify(e, Step.READ_TABLE, table, settings.jobProject());
            }
            throw BigQueryFailures.notFound(table, datasetExists);
        }
        TableColumns columns = TableColumns.of(found.getDefinition().getSchema(), table);
        columns.validate(settings.required(), settings.forbidden(), table);
        return columns;
    }

    private TableResult query(QueryJobConfiguration config) {
        try {
            return bigquery.query(config);
        } catch (InterruptedException e) {
            throw BigQueryFailures.interrupted(e, table);
        } catch (RuntimeException e) {
            throw BigQueryFailures.classify(e, Step.RUN_QUERY, table, settings.jobProject());
        }
    }

    /**
     * Settings of a {@link BigQuerySource}, with named defaults. Exactly one of {@link #serviceAccountKey(Secret)},
     * {@link #serviceAccountKeyFile(Path)} and {@link #credentials(Credentials)} is required, as are the
     * dataset and the table; the project id may come from the key.
     */
    public static final class Builder {
        /** Default most rows per result page (a read uses the smaller of this and the engine's batch size). */
        public static final int DEFAULT_PAGE_SIZE = 10_000;
        /** Default time BigQuery may run a query job before cancelling it. */
        public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(10);
        /** Default HTTP connect and read timeout of one API call. */
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
        /** Default attempts per API call on transient failures (5xx, resets). */
        public static final int DEFAULT_MAX_ATTEMPTS = 6;

        private static final Pattern LOCATION = Pattern.compile("[A-Za-z][A-Za-z0-9-]{1,62}");

        private String projectId;
        private String dataset;
        private String table;
        private String location;
        private Secret serviceAccountKey;
        private Path serviceAccountKeyFile;
        private Credentials credentials;
        private String host;
        private DataType dataType = DataType.USER_ATTRIBUTES;
        private List<Set<CdiColumn>> requiredColumns;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private Duration jobTimeout = DEFAULT_JOB_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

        private Builder() {
        }

        private Builder(Builder other) {
            projectId = other.projectId;
            dataset = other.dataset;
            table = other.table;
            location = other.location;
            serviceAccountKey = other.serviceAccountKey;
            serviceAccountKeyFile = other.serviceAccountKeyFile;
            credentials = other.credentials;
            host = other.host;
            dataType = other.dataType;
            requiredColumns = other.requiredColumns;
            pageSize = other.pageSize;
            jobTimeout = other.jobTimeout;
            requestTimeout = other.requestTimeout;
            maxAttempts = other.maxAttempts;
        }

        /** The project that runs and pays for the query jobs, and holds the dataset. Default: the key's {@code project_id}. */
        public Builder projectId(String projectId) {
            this.projectId = Objects.requireNonNull(projectId, "projectId");
            return this;
        }

        /** The dataset holding the table (required). */
        public Builder dataset(String dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            return this;
        }

        /** The table or view to read (required). */
        public Builder table(String table) {
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /** Where the jobs run, e.g. {@code US}, {@code EU}, {@code europe-west1}; must match the dataset's location. Default: inferred by BigQuery. */
        public Builder location(String location) {
            Objects.requireNonNull(location, "location");
            if (!LOCATION.matcher(location).matches()) {
                throw new IllegalArgumentException("location '" + location + "' is not a BigQuery location (e.g. US, EU, europe-west1)");
            }
            this.location = location;
            return this;
        }

        /** The service account's JSON key, as text. */
        public Builder serviceAccountKey(Secret serviceAccountKey) {
            this.serviceAccountKey = Objects.requireNonNull(serviceAccountKey, "serviceAccountKey");
            return this;
        }

        /** A file holding the service account's JSON key; read once, by {@link #build()}. */
        public Builder serviceAccountKeyFile(Path serviceAccountKeyFile) {
            this.serviceAccountKeyFile = Objects.requireNonNull(serviceAccountKeyFile, "serviceAccountKeyFile");
            return this;
        }

        /**
         * Any Google credentials instead of a key: workload identity, {@code GoogleCredentials.getApplicationDefault()},
         * or {@code NoCredentials} for an emulator or a test stub.
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** The API's root URL, e.g. {@code http://127.0.0.1:9050} for an emulator or a test stub. Default: Google's. */
        public Builder host(String host) {
            this.host = SourceConfig.checkHost(host);
            return this;
        }

        /**
         * The data type the table feeds (default {@link DataType#USER_ATTRIBUTES}); decides the columns
         * {@link BigQuerySource#check()} and every read require: UPDATED_AT and an identifier column for user
         * data (EXTERNAL_ID, ALIAS_NAME, BRAZE_ID, EMAIL or PHONE; deletes take no EMAIL, PHONE or PAYLOAD),
         * UPDATED_AT and ID for catalog items.
         */
        public Builder dataType(DataType dataType) {
            this.dataType = Objects.requireNonNull(dataType, "dataType");
            return this;
        }

        /**
         * Replaces the data type's column requirements: the table must have, for each group, at least one of
         * its columns (CDI names, any case). UPDATED_AT is always required.
         *
         * <pre>{@code .requiredColumns(List.of(Set.of("EXTERNAL_ID"), Set.of("PAYLOAD")))}</pre>
         */
        public Builder requiredColumns(List<? extends Collection<String>> groups) {
            this.requiredColumns = SourceConfig.parseGroups(groups);
            return this;
        }

        /** The most rows per result page, 1 to 100,000 (default {@value #DEFAULT_PAGE_SIZE}). */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > 100_000) {
                throw new IllegalArgumentException("pageSize must be 1 to 100000, was " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /** How long BigQuery may run a query job before it cancels it (default 10 minutes). */
        public Builder jobTimeout(Duration jobTimeout) {
            this.jobTimeout = SourceConfig.checkPositive("jobTimeout", jobTimeout);
            return this;
        }

        /** HTTP connect and read timeout of one API call (default 60 seconds). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = SourceConfig.checkPositive("requestTimeout", requestTimeout);
            return this;
        }

        /** Attempts per API call on transient failures, 1 to 20 (default {@value #DEFAULT_MAX_ATTEMPTS}). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 20) {
                throw new IllegalArgumentException("maxAttempts must be 1 to 20, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Validates the settings, reads the key and builds the source. Does not contact BigQuery: call
         * {@link BigQuerySource#check()} for that.
         *
         * @throws IllegalArgumentException        naming a missing or invalid setting
         * @throws CdiException.ConfigurationError when the service-account key cannot be read or parsed
         */
        public BigQuerySource build() {
            int kinds = (serviceAccountKey == null ? 0 : 1) + (serviceAccountKeyFile == null ? 0 : 1) + (credentials == null ? 0 : 1);
            if (kinds != 1) {
                throw new IllegalArgumentException("set exactly one of serviceAccountKey, serviceAccountKeyFile or credentials");
            }
            String project = projectId;
            Credentials resolved = credentials;
            if (resolved == null) {
                Secret key = serviceAccountKey != null ? serviceAccountKey : ServiceAccountKeys.readFile(serviceAccountKeyFile);
                ServiceAccountCredentials account = ServiceAccountKeys.parse(key);
                resolved = account;
                project = project != null ? project : account.getProjectId();
            }
            if (project == null) {
                throw new IllegalArgumentException("projectId is required (the service-account key names none)");
            }
            if (dataset == null || table == null) {
                throw new IllegalArgumentException(dataset == null ? "dataset is required" : "table is required");
            }
            List<Set<CdiColumn>> required = new ArrayList<>(List.of(Set.of(CdiColumn.UPDATED_AT)));
            required.addAll(requiredColumns != null ? requiredColumns : SourceConfig.requiredFor(dataType));
            SourceConfig config = new SourceConfig(new TableRef(project, dataset, table), project, location, resolved, host,
                    required, SourceConfig.forbiddenFor(dataType), pageSize, jobTimeout, requestTimeout, maxAttempts);
            return new BigQuerySource(new Builder(this), config);
        }

    }
}
