package io.cdisync.databricks.internal;

import java.util.Locale;

/**
 * What a Databricks driver failure means, read from its cause chain: the driver reports HTTP failures as
 * {@code SQLException}s with SQLState {@code CONNECTION_ERROR} whatever the status, and keeps the SDK's
 * typed error ({@code ...error.platform.TemporarilyUnavailable}, {@code Unauthenticated},
 * {@code PermissionDenied}) and the HTTP status in the chain. Sanitized copies of the chain (cdi-core's
 * {@code JdbcErrors}) keep the class names in their messages, so both are read the same way.
 */
public final class DriverFailures {
    /** How a failure is to be handled. */
    public enum Kind {
        /** HTTP 503 / TEMPORARILY_UNAVAILABLE: a starting warehouse; retry within the warm-up bound. */
        WAREHOUSE_STARTING,
        /** HTTP 401 / UNAUTHENTICATED: the token was refused. */
        TOKEN_REFUSED,
        /** HTTP 403 / PERMISSION_DENIED: the token's user may not use the warehouse or the data. */
        PERMISSION_DENIED,
        /** Anything else: for cdi-core's classifier. */
        OTHER
    }

    private DriverFailures() {
    }

    /** The kind of {@code failure}, looking at every cause's class name and message. */
    public static Kind kind(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = (t.getClass().getName() + " " + t.getMessage()).toLowerCase(Locale.ROOT);
            if (text.contains("temporarilyunavailable") || text.contains("temporarily_unavailable") || text.contains("http 503")
                    || text.contains("warehouse is starting")) {
                return Kind.WAREHOUSE_STARTING;
            }
            if (text.contains("platform.unauthenticated") || text.contains("(http 401)") || text.contains("unauthenticated:")) {
                return Kind.TOKEN_REFUSED;
            }
            if (text.contains("platform.permissiondenied") || text.contains("(http 403)")) {
                return Kind.PERMISSION_DENIED;
            }
        }
        return Kind.OTHER;
    }

    /** The SDK's typed error in a sanitized copy's message: {@code com.databricks...error.platform.X: message}. */
    private static final java.util.regex.Pattern PLATFORM_ERROR = java.util.regex.Pattern.compile(
            "^\\S*\\.error\\.platform\\.\\w+(?: \\[[^]]*])?: (.*)$", java.util.regex.Pattern.DOTALL);

    /**
     * What the server answered (the message of the SDK's typed error, in the driver's chain or in a sanitized
     * copy of it), or else the outermost message on one line.
     */
    public static String serverMessage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().contains(".error.platform.") && t.getMessage() != null) {
                return t.getMessage();
            }
            java.util.regex.Matcher m = PLATFORM_ERROR.matcher(String.valueOf(t.getMessage()));
            if (m.matches()) {
                return m.group(1);
            }
        }
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
