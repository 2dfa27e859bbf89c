package io.cdisync.bigquery.internal;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.JobException;
import io.cdisync.core.CdiException;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * The one place that turns the client's failures into cdi's types, with a message that says what to fix.
 * BigQuery's own message is quoted at the end (it names resources and the principal, never the key).
 */
public final class BigQueryFailures {
    /** The role that lets a principal run query jobs in a project. */
    public static final String JOB_USER = "\"BigQuery Job User\" (roles/bigquery.jobUser)";
    /** The role that lets a principal read a dataset's tables. */
    public static final String DATA_VIEWER = "\"BigQuery Data Viewer\" (roles/bigquery.dataViewer)";

    private static final Set<String> BILLING_REASONS = Set.of("billingNotEnabled", "billingTierLimitExceeded");
    private static final Set<String> QUOTA_REASONS = Set.of("rateLimitExceeded", "quotaExceeded");
    private static final Set<String> TRANSIENT_REASONS = Set.of("backendError", "internalError", "jobBackendError", "jobInternalError");
    private static final Set<String> INVALID_REASONS = Set.of("invalid", "invalidQuery", "invalidParameter");

    /** What cdi was doing when BigQuery failed: decides which permission a 403 is about. */
    public enum Step {
        /** Reading the table's metadata (tables.get): needs Data Viewer on the dataset or table. */
        READ_TABLE("reading the schema of"),
        /** Running the query (jobs.query / jobs.insert): needs Job User on the project and Data Viewer on the table. */
        RUN_QUERY("running the query on"),
        /** Fetching result pages (getQueryResults, tabledata.list, jobs.get). */
        READ_RESULTS("reading the query results from");

        private final String doing;

        Step(String doing) {
            this.doing = doing;
        }
    }

    private BigQueryFailures() {
    }

    /** Maps a failure of {@code step} on {@code table}; {@code jobProject} is where query jobs run. */
    public static CdiException classify(RuntimeException failure, Step step, TableRef table, String jobProject) {
        if (failure instanceof CdiException cdi) {
            return cdi;
        }
        int code = 0;
        String reason = null;
        String said = failure.getMessage();
        if (failure instanceof BigQueryException e) {
            code = e.getCode();
            reason = e.getReason();
        } else if (failure instanceof JobException e && e.getErrors() != null && !e.getErrors().isEmpty()) {
            BigQueryError first = e.getErrors().get(0);
            reason = first.getReason();
            said = first.getMessage();
        }
        // No HTTP status and an I/O cause: the message is the client's or the token endpoint's, not BigQuery's.
        boolean io = code == 0 && hasCause(failure, IOException.class);
        String quoted = said == null || said.isBlank() ? "" : (io ? " Detail: " : " BigQuery said: ") + said.strip();
        String where = " while " + step.doing + " " + table;

        if (code == 401 || "authError".equals(reason) || isAuthFailure(failure)) {
            return new CdiException.AccessDenied("BigQuery refused the credentials" + where + ": the service-account key is invalid,"
                    + " disabled or deleted (or its service account is). Create a new JSON key for the service account"
                    + " and configure it." + quoted, failure);
        }
        if ("timeout".equals(reason) || "stopped".equals(reason)) {
            return new CdiException("The BigQuery job did not finish in time" + where + "; raise the job timeout or make the"
                    + " table cheaper to filter (partition or cluster it on UPDATED_AT)." + quoted, true, failure);
        }
        if (reason != null && BILLING_REASONS.contains(reason)) {
            return new CdiException.ConfigurationError("BigQuery refused to bill project " + jobProject + where
                    + ": enable billing on the project (or raise its billing tier)." + quoted, failure);
        }
        if (reason != null && QUOTA_REASONS.contains(reason)) {
            return new CdiException("BigQuery quota or rate limit exceeded" + where + "; the next run will try again." + quoted,
                    true, failure);
        }
        if (code == 403 || "accessDenied".equals(reason)) {
            return new CdiException.AccessDenied(permissionAdvice(step, said, table, jobProject) + quoted, failure);
        }
        if (code == 404 || "notFound".equals(reason)) {
            return new CdiException.ConfigurationError(notFound(said, table) + quoted, failure);
        }
        if (reason != null && INVALID_REASONS.contains(reason) || code == 400) {
            return new CdiException.ConfigurationError("BigQuery rejected the request" + where + "." + quoted, failure);
        }
        if (io || code >= 500 || code == 408 || code == 429 || reason != null && TRANSIENT_REASONS.contains(reason)) {
            return new CdiException.ConnectionFailed("Cannot reach BigQuery, or it failed temporarily," + where + " ("
                    + (io ? describeCause(failure) : "HTTP " + code) + "); check the network and the host if it persists, the next"
                    + " run will try again." + (io ? "" : quoted), failure);
        }
        boolean retryable = failure instanceof BigQueryException e && e.isRetryable();
        return new CdiException("BigQuery failed" + where + " (HTTP " + code + (reason == null ? "" : ", " + reason) + ")." + quoted,
                retryable, failure);
    }

    /** Maps an interruption of the calling thread; restores its interrupt flag. */
    public static CdiException interrupted(InterruptedException e, TableRef table) {
        Thread.currentThread().interrupt();
        return new CdiException.Interrupted("Interrupted while waiting for BigQuery (table " + table + ")", e);
    }

    private static String permissionAdvice(Step step, String said, TableRef table, String jobProject) {
        String message = said == null ? "" : said.toLowerCase(Locale.ROOT);
        boolean jobs = message.contains("bigquery.jobs.create") || message.contains("jobs.create");
        boolean data = message.contains("bigquery.tables") || message.contains("dataset") || message.contains("table ");
        String jobAdvice = "The service account may not run query jobs in project " + jobProject + ": grant it " + JOB_USER
                + " on the project.";
        String dataAdvice = "The service account may not read table " + table + ": grant it " + DATA_VIEWER
                + " on dataset " + table.project() + "." + table.dataset() + " (or on the table).";
        if (step == Step.READ_TABLE || data && !jobs) {
            return "Access denied to BigQuery table " + table + ". " + dataAdvice;
        }
        if (jobs) {
            return "Access denied to BigQuery jobs in project " + jobProject + ". " + jobAdvice;
        }
        return "Access denied by BigQuery while " + step.doing + " " + table + ". It needs two roles: " + jobAdvice + " "
                + dataAdvice;
    }

    /** The table (or its whole dataset) does not exist, or the credentials may not see it. */
    public static CdiException notFound(TableRef table, boolean datasetExists) {
        return new CdiException.ConfigurationError(datasetExists ? tableNotFound(table) : datasetNotFound(table));
    }

    private static String notFound(String said, TableRef table) {
        String message = said == null ? "" : said.toLowerCase(Locale.ROOT);
        if (message.contains("dataset")) {
            return datasetNotFound(table);
        }
        if (message.contains("job")) {
            return "BigQuery query job not found while reading " + table + ": check the configured location matches the"
                    + " dataset's location.";
        }
        return tableNotFound(table);
    }

    private static String datasetNotFound(TableRef table) {
        return "BigQuery dataset " + table.project() + "." + table.dataset() + " not found (reading table " + table
                + "): check the project id, the dataset name and the location.";
    }

    private static String tableNotFound(TableRef table) {
        return "BigQuery table " + table + " not found in dataset " + table.project() + "." + table.dataset()
                + ": check the table name, or that it was not dropped or renamed.";
    }

    private static boolean isAuthFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String type = t.getClass().getName();
            // google-auth fails a token refresh with these; the token endpoint's 400 invalid_grant means a bad or revoked key.
            if (type.equals("com.google.auth.oauth2.GoogleAuthException")
                    || t instanceof com.google.api.client.http.HttpResponseException http
                    && String.valueOf(http.getContent()).contains("invalid_grant")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String describeCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
