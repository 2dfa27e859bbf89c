package io.cdisync.core.ops;

import java.util.List;
import java.util.Objects;

/**
 * A notification about a run of an integration, for a {@link Notifier}. Built by {@link IntegrationRunner}
 * from the run's record: it carries counts, statuses and the global failure's message, never a secret
 * (the integration's secrets are masked out of every text) nor a row's payload.
 *
 * @param kind        why it is sent
 * @param integration the integration's name
 * @param recipients  the integration's contacts (e-mail addresses; may be empty)
 * @param run         the run it is about
 * @param subject     a one-line summary, e.g. {@code "[cdi] users-attributes: sync failed"}
 * @param text        a few lines for a person: what happened and what to do
 */
public record Alert(Kind kind, String integration, List<String> recipients, RunRecord run, String subject, String text) {
    /** Why an alert is sent. */
    public enum Kind {
        /** A global failure ended the run (connectivity, permissions, resources, a full catalog): always sent. */
        GLOBAL_ERROR,
        /** More rows failed than the integration's threshold allows. */
        ROW_ERRORS_ABOVE_THRESHOLD,
        /** The run succeeded and synced rows (opt-in). */
        SUCCESS,
        /** The run succeeded and found no new rows (opt-in). */
        NO_ROWS_CHANGED
    }

    public Alert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(integration, "integration");
        recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
    }
}
