package io.cdisync.notify.smtp;

import io.cdisync.braze.Secret;
import io.cdisync.core.ops.Alert;
import io.cdisync.core.ops.Notifier;
import io.cdisync.core.ops.OpsException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * E-mails each {@link Alert} to the integration's contacts over SMTP, with Jakarta Mail (Eclipse Angus):
 * one plain-text UTF-8 message per alert, its subject the alert's, its body the alert's text, every contact
 * in {@code To}, and a header {@code X-Cdi-Alert: KIND integration} for mail filters.
 *
 * <pre>{@code
 * Notifier mail = SmtpNotifier.builder()
 *         .host("smtp.example.com").port(587)              // STARTTLS required by default
 *         .username("alerts@example.com").password(Secret.of(System.getenv("SMTP_PASSWORD")))
 *         .from("cdi alerts <alerts@example.com>")
 *         .build();
 * }</pre>
 *
 * <p>An alert without contacts is logged and not sent. A refused or unreachable server is an
 * {@link OpsException.NotificationFailed} naming the server, never the password. Thread-safe: each alert
 * opens its own connection (alerts are rare).
 */
public final class SmtpNotifier implements Notifier {
    private static final Logger log = LoggerFactory.getLogger(SmtpNotifier.class);

    /** How the connection to the server is secured. */
    public enum Security {
        /** Plain connection upgraded with STARTTLS, which the server must offer (port 587). The default. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, port 465). */
        TLS,
        /** No encryption: only for a relay on the same host or network, and tests. */
        NONE
    }

    private final String host;
    private final int port;
    private final Security security;
    private final InternetAddress from;
    private final String username;
    private final Secret password;
    private final Duration timeout;

    private SmtpNotifier(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.security = b.security;
        this.from = b.from;
        this.username = b.username;
        this.password = b.password;
        this.timeout = b.timeout;
    }

    /** A builder; host and from are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void send(Alert alert) {
        Objects.requireNonNull(alert, "alert");
        if (alert.recipients().isEmpty()) {
            log.warn("the {} alert on {} is not e-mailed: the integration has no contacts", alert.kind(), alert.integration());
            return;
        }
        String protocol = security == Security.TLS ? "smtps" : "smtp";
        Session session = Session.getInstance(properties(protocol));
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipients(Message.RecipientType.TO, addresses(alert));
            message.setSubject(alert.subject(), "UTF-8");
            message.setText(alert.text(), "UTF-8");
            message.setSentDate(new Date());
            message.setHeader("X-Cdi-Alert", alert.kind() + " " + alert.integration());
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect(host, port, username, password == null ? null : password.reveal());
                transport.sendMessage(message, message.getAllRecipients());
            }
            log.debug("the {} alert on {} was e-mailed to {} recipients", alert.kind(), alert.integration(), alert.recipients().size());
        } catch (MessagingException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            throw new OpsException.NotificationFailed("SMTP server " + host + ":" + port + " did not take the " + alert.kind()
                    + " alert on " + alert.integration() + ": " + (password == null ? detail : password.redact(detail)), null);
        }
    }

    private Properties properties(String protocol) {
        Properties props = new Properties();
        String prefix = "mail." + protocol + ".";
        props.put(prefix + "host", host);
        props.put(prefix + "port", Integer.toString(port));
        props.put(prefix + "auth", Boolean.toString(username != null));
        props.put(prefix + "connectiontimeout", Long.toString(timeout.toMillis()));
        props.put(prefix + "timeout", Long.toString(timeout.toMillis()));
        props.put(prefix + "writetimeout", Long.toString(timeout.toMillis()));
        if (security == Security.STARTTLS) {
            props.put(prefix + "starttls.enable", "true");
            props.put(prefix + "starttls.required", "true");
        }
        if (security != Security.NONE) {
            props.put(prefix + "ssl.checkserveridentity", "true");
        }
        return props;
    }

    private static InternetAddress[] addresses(Alert alert) throws AddressException {
        InternetAddress[] to = new InternetAddress[alert.recipients().size()];
        for (int i = 0; i < to.length; i++) {
            to[i] = new InternetAddress(alert.recipients().get(i), true);
        }
        return to;
    }

    @Override
    public String toString() {
        return "SmtpNotifier{" + host + ":" + port + ", " + security + (username == null ? "" : ", user " + username) + "}";
    }

    /** Settings of an {@link SmtpNotifier}, with named defaults. */
    public static final class Builder {
        private String host;
        private int port = 587;
        private Security security = Security.STARTTLS;
        private InternetAddress from;
        private String username;
        private Secret password;
        private Duration timeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** The SMTP server's host (required). */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /** The server's port (default 587). */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** How the connection is secured (default {@link Security#STARTTLS}). */
        public Builder security(Security security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** The sender, e.g. {@code "cdi alerts <alerts@example.com>"} (required). */
        public Builder from(String from) {
            Objects.requireNonNull(from, "from");
            try {
                this.from = new InternetAddress(from, true);
            } catch (AddressException e) {
                throw new IllegalArgumentException("from: '" + from + "' is not an e-mail address");
            }
            return this;
        }

        /** The login; with no username, the server is used without authentication. */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** The login's password. */
        public Builder password(Secret password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Connect, read and write timeout (default 10 s). */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Builds the notifier; connects to nothing yet.
         *
         * @throws IllegalStateException naming the first missing setting
         */
        public SmtpNotifier build() {
            if (host == null) {
                throw new IllegalStateException("host is required");
            }
            if (from == null) {
                throw new IllegalStateException("from is required (the sender's address)");
            }
            if ((username == null) != (password == null)) {
                throw new IllegalStateException("username and password go together");
            }
            return new SmtpNotifier(this);
        }
    }
}
