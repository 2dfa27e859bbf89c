package io.cdisync.s3.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * Parses UPDATED_AT text: an ISO-8601 date-time, converted to UTC if it has an offset or zone, read as UTC if it
 * has none (like a warehouse's zone-less TIMESTAMP). A space may stand for the {@code T}, as in most warehouses'
 * exports.
 *
 * <p>The shapes files almost always hold ({@code 2024-05-01T12:00:00Z}, with a fraction, an offset, or no zone)
 * are parsed by hand: {@link DateTimeFormatter} costs about a microsecond a value, two thirds of the time an NDJSON
 * record takes. Everything else goes to {@link DateTimeFormatter#ISO_DATE_TIME}.
 */
final class Timestamps {
    private Timestamps() {
    }

    /** The instant {@code value} names, or null if it is not an ISO-8601 date-time. */
    static Instant parse(String value) {
        String text = value.trim();
        Instant fast = parseCommonShape(text);
        return fast != null ? fast : parseWithFormatter(text);
    }

    /** The general path: {@link DateTimeFormatter#ISO_DATE_TIME}, with a space allowed for the {@code T}. */
    static Instant parseWithFormatter(String value) {
        String text = value.trim();
        if (text.length() > 10 && text.charAt(10) == ' ') {
            text = text.substring(0, 10) + 'T' + text.substring(11);
        }
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
            return parsed instanceof ZonedDateTime zoned ? zoned.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code yyyy-MM-dd(T| )HH:mm:ss[.f{1,9}][Z|±HH:mm]}, or null for any other shape or an invalid value. */
    private static Instant parseCommonShape(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || (i < n && isDigit(s.charAt(i)))) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char c = s.charAt(i);
            if (c == 'Z' && i == n - 1) {
                offsetSeconds = 0;
            } else if ((c == '+' || c == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
                int offsetHours = digits(s, i + 1, 2);
                int offsetMinutes = digits(s, i + 4, 2);
                if ((offsetHours | offsetMinutes) < 0 || offsetHours > 18 || offsetMinutes > 59) {
                    return null;
                }
                offsetSeconds = (c == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
            } else {
                return null;
            }
        }
        try {
            long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second)
                    .toEpochSecond(ZoneOffset.ofTotalSeconds(offsetSeconds));
            return Instant.ofEpochSecond(epochSecond, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
