package io.cdisync.core.ops;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link Alert}s: by e-mail to the integration's contacts ({@code SmtpNotifier} in the
 * {@code cdi-notify-smtp} module), as a JSON POST ({@link WebhookNotifier}), or the host's own way.
 *
 * <p>Called by {@link IntegrationRunner} on the run's thread after the run is recorded; may block on
 * the network (keep timeouts short). A failure is reported as {@link OpsException.NotificationFailed},
 * which the runner logs: an alert that cannot be delivered never changes the outcome of the run.
 */
@FunctionalInterface
public interface Notifier {
    /**
     * Delivers the alert.
     *
     * @throws OpsException.NotificationFailed when it could not be delivered
     */
    void send(Alert alert);

    /** A notifier that drops every alert. */
    static Notifier none() {
        return alert -> { };
    }

    /**
     * Sends each alert to every notifier in turn; one failing does not keep the others from trying. Throws
     * the first failure at the end.
     */
    static Notifier all(List<Notifier> notifiers) {
        List<Notifier> copy = List.copyOf(notifiers);
        return alert -> {
            OpsException.NotificationFailed first = null;
            for (Notifier notifier : copy) {
                try {
                    notifier.send(alert);
                } catch (OpsException.NotificationFailed e) {
                    LoggerFactory.getLogger(Notifier.class).debug("a notifier failed: {}", e.getMessage());
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        };
    }

    /** Logs each alert through SLF4J ({@code io.cdisync.core.ops.Notifier}): errors at WARN, the rest at INFO. */
    static Notifier logging() {
        Logger log = LoggerFactory.getLogger(Notifier.class);
        return alert -> {
            Objects.requireNonNull(alert, "alert");
            if (alert.kind() == Alert.Kind.GLOBAL_ERROR || alert.kind() == Alert.Kind.ROW_ERRORS_ABOVE_THRESHOLD) {
                log.warn("{}\n{}", alert.subject(), alert.text());
            } else {
                log.info("{}\n{}", alert.subject(), alert.text());
            }
        };
    }
}
