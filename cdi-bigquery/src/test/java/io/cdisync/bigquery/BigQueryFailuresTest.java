package io.cdisync.bigquery;

import static io.cdisync.bigquery.BigQueryTestTables.T0;
import static io.cdisync.bigquery.BigQueryTestTables.source;
import static io.cdisync.bigquery.BigQueryTestTables.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import io.cdisync.bigquery.FakeBigQuery.Column;
import io.cdisync.bigquery.FakeBigQuery.Route;
import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.ReadRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each failure class through the real client: the type the engine sees and a message that says what to fix. */
class BigQueryFailuresTest {
    static final ReadRequest READ = new ReadRequest(null, Instant.parse("2026-06-01T00:00:00Z"), 100);
    static final String JOBS_DENIED = "Access Denied: Project acme-analytics: User does not have bigquery.jobs.create permission"
            + " in project acme-analytics.";
    static final String TABLE_DENIED = "Access Denied: Table acme-analytics:braze.users_sync: User does not have permission to"
            + " query table acme-analytics:braze.users_sync, or perhaps it does not exist.";

    final FakeBigQuery bigquery = FakeBigQuery.start();

    @AfterEach
    void close() {
        bigquery.close();
    }

    @Test
    void forbiddenTableMetadataNamesTheDataViewerRole() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        bigquery.fail(Route.GET_TABLE, 403, "accessDenied", "Access Denied: Table acme-analytics:braze.users_sync: Permission"
                + " bigquery.tables.get denied on table acme-analytics:braze.users_sync (or it may not exist).");

        assertThatThrownBy(() -> source(bigquery).build().check())
                .isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("BigQuery Data Viewer").hasMessageContaining("roles/bigquery.dataViewer")
                .hasMessageContaining("acme-analytics.braze.users_sync")
                .hasMessageNotContaining("Job User")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isFalse());
    }

    @Test
    void forbiddenJobCreationNamesTheJobUserRoleOnReadAndOnCheck() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        bigquery.fail(Route.QUERY, 403, "accessDenied", JOBS_DENIED);
        bigquery.fail(Route.INSERT_JOB, 403, "accessDenied", JOBS_DENIED);
        BigQuerySource source = source(bigquery).build();

        assertThatThrownBy(() -> source.read(READ))
                .isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("BigQuery Job User").hasMessageContaining("roles/bigquery.jobUser")
                .hasMessageContaining("project acme-analytics").hasMessageNotContaining("Data Viewer");
        assertThatThrownBy(source::check)
                .isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("BigQuery Job User").hasMessageContaining("roles/bigquery.jobUser");
    }

    @Test
    void forbiddenTableInTheQueryNamesTheDataViewerRole() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        bigquery.fail(Route.QUERY, 403, "accessDenied", TABLE_DENIED);

        assertThatThrownBy(() -> source(bigquery).build().read(READ))
                .isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("BigQuery Data Viewer").hasMessageContaining("roles/bigquery.dataViewer")
                .hasMessageContaining("dataset acme-analytics.braze");
    }

    @Test
    void missingTableAndMissingDatasetAreConfigurationErrorsNamingThem() {
        bigquery.table("acme-analytics", "braze", "other_table", new Column("UPDATED_AT", "TIMESTAMP"));

        assertThatThrownBy(() -> source(bigquery).build().check())
                .isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("table acme-analytics.braze.users_sync not found");
        assertThatThrownBy(() -> source(bigquery).dataset("crm").build().read(READ))
                .isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("dataset acme-analytics.crm not found");
    }

    @Test
    void unauthorizedSaysTheServiceAccountKeyIsInvalid() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        bigquery.fail(Route.GET_TABLE, 401, "authError", "Request had invalid authentication credentials.");

        assertThatThrownBy(() -> source(bigquery).build().read(READ))
                .isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("service-account key is invalid");
    }

    @Test
    void unreachableHostIsARetryableConnectionFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        BigQuerySource source = BigQuerySource.builder().projectId("p").dataset("d").table("t")
                .host("http://127.0.0.1:" + closedPort).credentials(NoCredentials.getInstance()).maxAttempts(1).build();

        assertThatThrownBy(() -> source.read(READ))
                .isInstanceOf(CdiException.ConnectionFailed.class)
                .hasMessageContaining("Cannot reach BigQuery").hasMessageContaining("ConnectException")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isTrue());
    }

    @Test
    void serverErrorsAreRetryableConnectionFailures() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        bigquery.fail(Route.QUERY, 503, "backendError", "Backend error. Please try again.");

        assertThatThrownBy(() -> source(bigquery).maxAttempts(2).build().read(READ))
                .isInstanceOf(CdiException.ConnectionFailed.class).hasMessageContaining("HTTP 503")
                .hasMessageContaining("BigQuery said: Backend error")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isTrue());
    }

    @Test
    void aJobThatTimesOutWhileBeingPolledIsRetryableAndSaysWhatToChange() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        bigquery.incompleteFor(5);
        bigquery.fail(Route.GET_QUERY_RESULTS, 400, "timeout", "Job execution was cancelled: Job timed out after 600s");

        assertThatThrownBy(() -> source(bigquery).build().read(READ))
                .isExactlyInstanceOf(CdiException.class).hasMessageContaining("raise the job timeout")
                .hasMessageContaining("Job timed out after 600s")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isTrue());
    }

    @Test
    void billingDisabledIsAConfigurationErrorNotAMissingRole() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        bigquery.fail(Route.QUERY, 403, "billingNotEnabled", "Billing has not been enabled for this project.");

        assertThatThrownBy(() -> source(bigquery).build().read(READ))
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("enable billing on the project")
                .hasMessageNotContaining("Job User");
    }

    @Test
    void invalidQueryAndQuotaErrors() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        bigquery.fail(Route.QUERY, 400, "invalidQuery", "Unrecognized name: updated_at at [1:8]");
        assertThatThrownBy(() -> source(bigquery).build().read(READ))
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("Unrecognized name");

        bigquery.clearFaults();
        bigquery.fail(Route.QUERY, 403, "quotaExceeded", "Quota exceeded: Your project exceeded quota for free query bytes scanned.");
        assertThatThrownBy(() -> source(bigquery).build().read(READ))
                .isExactlyInstanceOf(CdiException.class).hasMessageContaining("quota")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isTrue());
    }

    @Test
    void checkRefusesTablesWithoutTheColumnsOrTypesTheDataTypeNeeds() {
        bigquery.table("acme-analytics", "braze", "users_sync", new Column("UPDATED_AT", "TIMESTAMP"), new Column("PAYLOAD", "JSON"));
        assertThatThrownBy(() -> source(bigquery).build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("has no one of the columns EXTERNAL_ID, ALIAS_NAME, BRAZE_ID, EMAIL, PHONE");

        bigquery.table("acme-analytics", "braze", "users_sync", new Column("updated_at", "DATETIME"), new Column("ID", "STRING"));
        assertThatThrownBy(() -> source(bigquery).dataType(DataType.CATALOG_ITEMS).build().check())
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("updated_at is DATETIME, must be TIMESTAMP");

        bigquery.table("acme-analytics", "braze", "users_sync", new Column("UPDATED_AT", "TIMESTAMP"),
                new Column("EXTERNAL_ID", "STRING"), new Column("PAYLOAD", "JSON"));
        assertThatThrownBy(() -> source(bigquery).dataType(DataType.USER_DELETES).build().check())
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("must not have a PAYLOAD column");

        assertThatThrownBy(() -> source(bigquery).requiredColumns(List.of(Set.of("email"))).build().check())
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("has no column EMAIL");
    }

    @Test
    void aGoodTablePassesTheCheckWithADryRunOfTheSyncQuery() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        user(bigquery, T0, "u1", "{}");

        source(bigquery).build().check();

        assertThat(bigquery.requests(Route.INSERT_JOB)).singleElement().satisfies(r -> {
            assertThat(r.json().path("configuration").path("dryRun").asBoolean()).isTrue();
            assertThat(r.json().path("configuration").path("query").path("query").asText())
                    .contains("FROM `acme-analytics`.`braze`.`users_sync` WHERE `updated_at` >= @since");
        });
        assertThat(bigquery.requests(Route.QUERY)).isEmpty();
    }

    @Test
    void namesThatCouldBreakOutOfTheirQuotesAreRefused() {
        assertThatThrownBy(() -> source(bigquery).table("users` WHERE 1=1 --").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table");
        assertThatThrownBy(() -> source(bigquery).dataset("braze.other").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataset");
        assertThatThrownBy(() -> source(bigquery).requiredColumns(List.of(Set.of("NAME"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a CDI column");
    }
}
