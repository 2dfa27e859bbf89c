package io.cdisync.core.jdbc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JDBC URLs and driver messages made safe to print: secrets removed, and the host and port a
 * connection goes to, for messages like "cannot reach host:port".
 */
public final class JdbcUrls {
    private static final String MASK = "****";
    /** {@code password=...}, {@code pwd=...}, {@code private_key_file_pwd=...}, {@code token=...} and the like, in URLs or text. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)\\b([\\w.-]*(?:password|passwd|pwd|secret|token|passphrase|credential)[\\w.-]*\\s*[=:]\\s*)"
                    + "(\"[^\"]*\"|'[^']*'|[^&;,\\s\"')}]+)");
    /** {@code scheme://user:password@host}. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]*):([^@/\\s]*)@");
    /** {@code jdbc:vendor://host[:port][/...]}, host possibly an IPv6 literal. */
    private static final Pattern AUTHORITY = Pattern.compile(
            "^jdbc:[\\w:.-]+://(?:[^/@?;]*@)?(\\[[^\\]]+]|[^/:?;,]+)(?::(\\d+))?", Pattern.CASE_INSENSITIVE);

    private JdbcUrls() {
    }

    /**
     * The text with secrets masked as {@code ****}: values of password-like parameters
     * ({@code password=}, {@code pwd=}, {@code token=}, {@code secret=}...) and the password of
     * {@code user:password@} user info. Works on URLs and on driver messages that quote them.
     *
     * @param text any text, or null
     * @return the text with secrets masked, or null
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String masked = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        return SECRET_PARAMETER.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /**
     * Where a URL connects, as {@code host:port} ({@code host} alone when the URL gives no port), or the
     * redacted URL when it names no host (e.g. {@code jdbc:duckdb:/data/file.db}).
     *
     * @param url a JDBC URL
     * @return a description without secrets
     */
    public static String target(String url) {
        if (url == null) {
            return "the database";
        }
        Matcher m = AUTHORITY.matcher(url);
        if (m.find()) {
            return m.group(2) == null ? m.group(1) : m.group(1) + ":" + m.group(2);
        }
        String redacted = redact(url);
        int query = redacted.indexOf('?');
        return query < 0 ? redacted : redacted.substring(0, query);
    }
}
