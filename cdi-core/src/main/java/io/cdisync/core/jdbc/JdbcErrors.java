package io.cdisync.core.jdbc;

import io.cdisync.core.CdiException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that turns a driver's {@link SQLException} into a {@link CdiException} the user can act
 * on, by SQLState class and cause:
 * <ul>
 * <li>{@code 28xxx}: {@link CdiException.AccessDenied} "authentication failed for user X: check the user and password";
 * <li>{@code 42501}: {@link CdiException.AccessDenied} "missing grant: GRANT SELECT ON table TO user";
 * <li>{@code 42P01}, {@code 42S02}: {@link CdiException.ConfigurationError} naming the table;
 *     {@code 42703}, {@code 42S22}, {@code 3D000}, {@code 3F000}: configuration errors too;
 * <li>{@code 08xxx}, {@code 57P0x}, connect exceptions, unknown hosts: {@link CdiException.ConnectionFailed}
 *     "cannot reach host:port";
 * <li>anything else: a {@link CdiException}, retryable when the driver calls it transient.
 * </ul>
 * Every message is redacted by the {@link ConnectionFactory} (passwords, URL secrets), and so is the
 * cause attached to the exception (a sanitized copy of the driver's exception chain).
 *
 * <p>Immutable; used by {@link JdbcSource}, {@code JdbcWatermarkStore} and database modules.
 */
public final class JdbcErrors {
    private static final Pattern QUOTED_USER = Pattern.compile("user \"([^\"]{1,128})\"");
    private static final int MAX_DETAIL = 600;

    private final String target;
    private final String user;
    private final UnaryOperator<String> redactor;

    private JdbcErrors(String target, String user, UnaryOperator<String> redactor) {
        this.target = target;
        this.user = user;
        this.redactor = redactor;
    }

    /** A classifier naming the factory's target and user, and redacting with its {@link ConnectionFactory#redact}. */
    public static JdbcErrors of(ConnectionFactory factory) {
        Objects.requireNonNull(factory, "factory");
        return new JdbcErrors(factory.target(), factory.user(), factory::redact);
    }

    /** This classifier naming {@code user} (e.g. {@code DatabaseMetaData.getUserName()} once connected). */
    public JdbcErrors withUser(String user) {
        return user == null || user.isBlank() ? this : new JdbcErrors(target, user, redactor);
    }

    /**
     * Classifies a failure.
     *
     * @param e     the driver's exception
     * @param table the table being read (for grant and missing-table messages), or null
     * @param doing what was being done, for the fallback message (e.g. {@code "reading public.users"})
     * @return the exception to throw; its message says what to fix and holds no secret
     */
    public CdiException classify(SQLException e, String table, String doing) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = detail(e);
        Throwable cause = sanitized(e);
        String who = user != null ? user : guessUser(detail);
        if (state.startsWith("28") || e instanceof SQLInvalidAuthorizationSpecException) {
            return new CdiException.AccessDenied("authentication failed for user " + who + " on " + target
                    + ": check the user and password (" + detail + ")", cause);
        }
        if (state.equals("42501")) {
            String grant = table == null ? "grant the privilege the statement needs to " + who
                    : "GRANT SELECT ON " + table + " TO " + who;
            return new CdiException.AccessDenied("missing grant: " + grant + " (" + detail + ")", cause);
        }
        if (state.equals("42P01") || state.equals("42S02")) {
            return new CdiException.ConfigurationError((table == null ? "a table" : "table " + table)
                    + " does not exist on " + target + " or user " + who + " cannot see it: check the name"
                    + " (schema.table) and the schema's grants (" + detail + ")", cause);
        }
        if (state.equals("42703") || state.equals("42S22")) {
            return new CdiException.ConfigurationError("a column of " + (table == null ? "the table" : table)
                    + " is missing: " + detail, cause);
        }
        if (state.equals("3D000")) {
            return new CdiException.ConfigurationError("the database does not exist on " + target + ": check the"
                    + " database name in the URL (" + detail + ")", cause);
        }
        if (state.equals("3F000")) {
            return new CdiException.ConfigurationError("the schema does not exist on " + target + " (" + detail + ")", cause);
        }
        if (state.startsWith("08") || state.startsWith("57P") || isNetwork(e) || e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException || e instanceof SQLRecoverableException) {
            return new CdiException.ConnectionFailed("cannot reach " + target + ": " + networkReason(e, detail)
                    + "; check the host and port, and that the network lets this machine connect", cause);
        }
        if (state.equals("57014")) {
            return new CdiException(doing + " on " + target + " was cancelled or timed out: " + detail, true, cause);
        }
        boolean retryable = e instanceof SQLTransientException || state.startsWith("40") || state.startsWith("53");
        return new CdiException(doing + " failed on " + target + ": " + detail
                + (state.isEmpty() ? "" : " (SQLState " + state + ")"), retryable, cause);
    }

    /** {@code text} with the factory's secrets masked. */
    public String redact(String text) {
        return redactor.apply(text);
    }

    /** The driver's message, redacted and shortened, for a detail in parentheses. */
    public String detail(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String redacted = redact(message).strip().replaceAll("\\s*\\R\\s*", " ");
        return redacted.length() <= MAX_DETAIL ? redacted : redacted.substring(0, MAX_DETAIL) + "...";
    }

    /**
     * A copy of the exception chain whose messages are redacted, to attach as a cause: the driver's own
     * exception may quote a URL or a password, and causes are printed with stack traces.
     */
    public Throwable sanitized(Throwable e) {
        if (e == null) {
            return null;
        }
        String state = e instanceof SQLException sql && sql.getSQLState() != null ? " [SQLState " + sql.getSQLState() + "]" : "";
        RedactedCause copy = new RedactedCause(e.getClass().getName() + state + ": " + redact(String.valueOf(e.getMessage())),
                e.getCause() == e ? null : sanitized(e.getCause()));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    private static boolean isNetwork(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String networkReason(Throwable e, String detail) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof ConnectException) {
                return "connection refused (" + detail + ")";
            }
            if (t instanceof SocketTimeoutException) {
                return "timed out (" + detail + ")";
            }
        }
        return detail;
    }

    private static String guessUser(String detail) {
        Matcher m = QUOTED_USER.matcher(detail);
        return m.find() ? m.group(1) : "(the configured user)";
    }

    @Override
    public String toString() {
        return "JdbcErrors{" + target + (user == null ? "" : ", user=" + user) + "}";
    }

    /** A driver exception's class, SQLState and redacted message, with its stack trace. */
    private static final class RedactedCause extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedCause(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
