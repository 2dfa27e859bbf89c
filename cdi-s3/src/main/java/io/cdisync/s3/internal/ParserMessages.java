package io.cdisync.s3.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * Turns a Jackson parser exception into a short reason for a row error that carries none of the record's
 * content: records hold personal data, and Jackson quotes the token it choked on ({@code Unrecognized token
 * 'jane@example.com'}).
 */
final class ParserMessages {
    private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("Unrecognized token '.*?': ", Pattern.DOTALL);
    private static final Pattern CHARACTER = Pattern.compile("\\('.{1,2}' \\(code (\\d+)\\)\\)");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final int MAX_LENGTH = 200;

    private ParserMessages() {
    }

    /** The parser's own reason, without quoted content or source description, with the column where it stopped. */
    static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        int cut = indexOfAny(message, "\n", " (start marker at", " at [Source");
        if (cut >= 0) {
            message = message.substring(0, cut);
        }
        message = UNRECOGNIZED_TOKEN.matcher(message).replaceAll("Unrecognized token: ");
        message = CHARACTER.matcher(message).replaceAll("(code $1)");
        // Any other quoted text goes, except the literals Jackson names in its own "was expecting" lists.
        message = QUOTED.matcher(message).replaceAll(m -> switch (m.group(1)) {
            case "null", "true", "false" -> m.group();
            default -> "'…'";
        });
        if (message.length() > MAX_LENGTH) {
            message = message.substring(0, MAX_LENGTH) + "…";
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getColumnNr() > 0) {
            message = message + " (column " + location.getColumnNr() + ")";
        }
        return message;
    }

    private static int indexOfAny(String text, String... needles) {
        int first = -1;
        for (String needle : needles) {
            int at = text.indexOf(needle);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }
}
