package io.cdisync.benchmarks;

import io.cdisync.core.spi.SourceRow;
import java.time.Instant;

/**
 * The rows every benchmark uses: user-attribute rows whose PAYLOAD is a JSON object of a chosen size with
 * one nested object (an address), as a warehouse would hand them out (JSON text, no row key, as the
 * JDBC sources do). Deterministic: row {@code i} is always the same.
 */
public final class SamplePayloads {
    /** UPDATED_AT of row 0; row {@code i} is {@code T0 + i} milliseconds. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static final char[] PAD = "x".repeat(200_000).toCharArray();

    private SamplePayloads() {
    }

    /**
     * Row {@code i} of a table where {@code users} users each have about {@code rows / users} rows.
     *
     * @param i            the row index
     * @param users        how many distinct users (external ids) the rows spread over
     * @param payloadBytes the PAYLOAD size in bytes, at least 100
     */
    public static SourceRow row(long i, long users, int payloadBytes) {
        // A multiplicative spread, so consecutive rows name different users and a user's rows are far apart.
        long user = Math.floorMod(i * 0x9E3779B97F4A7C15L, users);
        return SourceRow.builder().updatedAt(T0.plusMillis(i)).externalId("user-" + user).payload(payload(i, payloadBytes))
                .build();
    }

    /**
     * A PAYLOAD of exactly {@code bytes} UTF-8 bytes (ASCII) for row {@code i}: a few typed attributes and a
     * nested {@code address} object; from 300 bytes on, more typed attributes; then {@code note_N} strings (at
     * most 200 of them, Braze allows 250 attributes) and one {@code pad} string to reach the size.
     */
    public static String payload(long i, int bytes) {
        StringBuilder json = new StringBuilder(bytes); // exact: one buffer, then one copy into the String
        json.append("{\"first_name\":\"Ada\",\"plan\":\"").append(i % 3 == 0 ? "gold" : "silver")
                .append("\",\"logins\":").append(i % 997)
                .append(",\"address\":{\"city\":\"Paris\",\"zip\":\"75002\"}");
        if (bytes >= 300) {
            json.append(",\"last_name\":\"Lovelace-").append(i % 100_000)
                    .append("\",\"lifetime_value\":").append(i % 10_000).append(".25")
                    .append(",\"opted_in\":").append(i % 2 == 0);
        }
        int notes = 0;
        // Each note is ~44 bytes; stop early enough to leave room for the pad field and the closing brace.
        while (notes < 200 && json.length() + 48 + 12 <= bytes) {
            json.append(",\"note_").append(notes).append("\":\"the quick brown fox jumps over").append(i % 10).append('"');
            notes++;
        }
        json.append(",\"pad\":\"");
        int padding = bytes - json.length() - 2;
        if (padding < 0) {
            throw new IllegalArgumentException("a payload needs at least " + (json.length() + 2) + " bytes, asked " + bytes);
        }
        json.append(PAD, 0, padding).append("\"}");
        return json.toString();
    }
}
