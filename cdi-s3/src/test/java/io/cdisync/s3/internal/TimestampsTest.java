package io.cdisync.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2024-05-01T12:00:00Z                | 2024-05-01T12:00:00Z",
        "2024-05-01T12:00:00.5Z              | 2024-05-01T12:00:00.500Z",
        "2024-05-01T12:00:00.123456789+05:30 | 2024-05-01T06:30:00.123456789Z",
        "2024-05-01 12:00:00-07:00           | 2024-05-01T19:00:00Z",
        "2024-05-01T12:00:00                 | 2024-05-01T12:00:00Z",
        "2024-05-01 12:00:00.000001          | 2024-05-01T12:00:00.000001Z",
        "2024-05-01T12:00Z                   | 2024-05-01T12:00:00Z",
        "2024-05-01T12:00:00+02:00[Europe/Paris] | 2024-05-01T10:00:00Z",
        "'  2024-05-01T12:00:00Z  '          | 2024-05-01T12:00:00Z",
        "1969-12-31T23:59:59.999Z            | 1969-12-31T23:59:59.999Z",
    })
    void parsesIso8601DateTimesToUtc(String text, String expected) {
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2024-05-01", "2024-02-30T00:00:00Z", "2024-05-01T24:00:01Z",
        "2024-05-01T12:00:00.1234567891Z", "2024-05-01T12:00:00+0530", "2024-05-01T12:00:00ZZ",
        "05/01/2024 12:00", "1714564800", "2024-05-01T12:00:00+19:00", "2024-13-01T00:00:00Z"})
    void rejectsWhatIsNotAnIsoDateTime(String text) {
        assertThat(Timestamps.parse(text)).isNull();
    }

    @Test
    void theHandParsedShapesAgreeWithDateTimeFormatter() {
        long seed = Long.getLong("cdi.seed", System.nanoTime());
        Random random = new Random(seed);
        String[] fractions = {"", ".5", ".12", ".123", ".123456", ".123456789", ".1234567890", "."};
        String[] zones = {"", "Z", "+00:00", "-07:00", "+05:45", "+18:00", "-18:01", "+1:00", "z", "+05:30:00"};
        for (int i = 0; i < 5_000; i++) {
            String text = String.format("%04d-%02d-%02d%s%02d:%02d:%02d%s%s", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextBoolean() ? "T" : " ", random.nextInt(25), random.nextInt(61),
                    random.nextInt(61), fractions[random.nextInt(fractions.length)], zones[random.nextInt(zones.length)]);
            assertThat(Timestamps.parse(text)).as("%s (seed %d; rerun with -Dcdi.seed)", text, seed)
                    .isEqualTo(Timestamps.parseWithFormatter(text));
        }
    }
}
