package io.cdisync.core.ops;

import io.cdisync.core.CdiException;
import java.util.List;
import java.util.Objects;

/**
 * Failures of the operating API ({@link Integrations}, {@link RunLog}, {@link IntegrationRunner}):
 * unchecked, typed by what the caller must do. Messages name the integration and what to fix, and
 * never carry a secret or a payload.
 */
public class OpsException extends CdiException {
    OpsException(String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
    }

    /** No integration or credentials by that name. */
    public static final class NotFound extends OpsException {
        public NotFound(String message) {
            super(message, false, null);
        }
    }

    /**
     * A rule of the integration lifecycle forbids the change; nothing was changed.
     * {@link #rule()} says which, {@link #integrations()} names the integrations involved (for
     * credentials in use, a table already read, a name taken).
     */
    public static final class Refused extends OpsException {
        private final Rule rule;
        private final List<String> integrations;

        public Refused(Rule rule, String message, List<String> integrations) {
            super(message, false, null);
            this.rule = Objects.requireNonNull(rule, "rule");
            this.integrations = List.copyOf(integrations);
        }

        /** The rule that refused the change. */
        public Rule rule() {
            return rule;
        }

        /** The integrations the refusal is about (may be empty). */
        public List<String> integrations() {
            return integrations;
        }
    }

    /** The rules {@link Refused} names. */
    public enum Rule {
        /** An integration or credentials of that name exists already. */
        NAME_TAKEN,
        /** Another integration reads the same table with the same credentials. */
        TABLE_IN_USE,
        /** The data type of an integration is fixed at creation. */
        DATA_TYPE_FIXED,
        /** Activation needs a passing connection test. */
        CONNECTION_TEST_FAILED,
        /** The transition is not allowed from the integration's state (e.g. pausing a draft, running a paused one). */
        WRONG_STATE,
        /** Credentials used by an active integration cannot be deleted. */
        CREDENTIALS_IN_USE,
        /** The integration names credentials that do not exist. */
        CREDENTIALS_MISSING
    }

    /** Another writer changed the store at the same time, again and again; retry later. */
    public static final class ConcurrentChange extends OpsException {
        public ConcurrentChange(String message) {
            super(message, true, null);
        }
    }

    /** The integration store or the run log could not be read or written. Usually transient. */
    public static final class StoreFailure extends OpsException {
        public StoreFailure(String message, Throwable cause) {
            super(message, true, cause);
        }
    }

    /** A notifier could not deliver an alert (the mail server or webhook refused or could not be reached). */
    public static final class NotificationFailed extends OpsException {
        public NotificationFailed(String message, Throwable cause) {
            super(message, true, cause);
        }
    }
}
