package io.cdisync.s3.internal;

import static io.cdisync.s3.internal.TestFiles.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.core.spi.SourceRow;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code skip(n)} then reading on gives exactly the rows that follow the first n of {@code next()}, over seeded
 * random files full of the awkward cases (blank lines, broken and over-long lines, CRLF, quoted newlines, a BOM).
 * A failure names its seed; rerun with {@code -Dcdi.seed=<seed>}.
 */
class SkipEquivalenceTest {
    private static final int FILES = 150;
    private static final int MAX_RECORD_BYTES = 120;

    @Test
    void ndjsonSkipCountsRecordsExactlyAsNextDoes() throws Exception {
        withSeed("SkipEquivalenceTest.ndjson", random -> {
            for (int i = 0; i < FILES; i++) {
                assertSkipMatchesNext(FileFormat.NDJSON, ndjsonFile(random), random);
            }
        });
    }

    @Test
    void csvSkipCountsRecordsExactlyAsNextDoes() throws Exception {
        withSeed("SkipEquivalenceTest.csv", random -> {
            for (int i = 0; i < FILES; i++) {
                assertSkipMatchesNext(FileFormat.CSV, csvFile(random), random);
            }
        });
    }

    private static void assertSkipMatchesNext(FileFormat format, byte[] file, Random random) throws Exception {
        List<SourceRow> all = readAll(TestFiles.open(format, "f", file, MAX_RECORD_BYTES));
        long[] counts = {0, 1, random.nextInt(all.size() + 1), all.size(), all.size() + 3};
        for (long n : counts) {
            try (RecordReader reader = TestFiles.open(format, "f", file, MAX_RECORD_BYTES)) {
                long skipped = reader.skip(n);
                int expected = (int) Math.min(n, all.size());
                assertThat(skipped).as("skip(%d) over %d records", n, all.size()).isEqualTo(expected);
                assertThat(readAll(reader)).as("rows after skip(%d)", n).isEqualTo(all.subList(expected, all.size()));
            }
        }
        // Skipping in several steps counts the same as in one.
        try (RecordReader reader = TestFiles.open(format, "f", file, MAX_RECORD_BYTES)) {
            long half = all.size() / 2;
            assertThat(reader.skip(half / 2) + reader.skip(half - half / 2)).isEqualTo(half);
            assertThat(readAll(reader)).isEqualTo(all.subList((int) half, all.size()));
        }
    }

    private static byte[] ndjsonFile(Random random) {
        StringBuilder text = new StringBuilder();
        int lines = random.nextInt(40);
        for (int i = 0; i < lines; i++) {
            switch (random.nextInt(8)) {
                case 0 -> text.append("");
                case 1 -> text.append(" \t ");
                case 2 -> text.append("{\"external_id\":\"u").append(i).append("\",\"payload\":{\"a\":").append(i).append('}');
                case 3 -> text.append("not json ").append(i);
                case 4 -> text.append("{\"email\":\"").append("x".repeat(random.nextInt(300))).append("\"}");
                case 5 -> text.append("{\"id\":").append(i).append(",\"deleted\":").append(random.nextBoolean() ? "true" : "\"no\"").append('}');
                case 6 -> text.append("{\"phone\":\"").append(i).append("\"} ");
                default -> text.append("{\"external_id\":\"u").append(i).append("\",\"updated_at\":\"2024-01-0")
                        .append(1 + random.nextInt(9)).append("T00:00:00Z\"}");
            }
            if (i < lines - 1 || random.nextBoolean()) {
                text.append(random.nextInt(4) == 0 ? "\r\n" : "\n");
            }
        }
        return withOptionalBom(text.toString(), random);
    }

    private static byte[] csvFile(Random random) {
        StringBuilder text = new StringBuilder("EXTERNAL_ID,PAYLOAD,DELETED\n");
        int records = random.nextInt(30);
        for (int i = 0; i < records; i++) {
            switch (random.nextInt(6)) {
                case 0 -> text.append("");
                case 1 -> text.append("u").append(i).append(",\"{\"\"a\"\":\n").append(i).append("}\",false");
                case 2 -> text.append("u").append(i).append(",{}");
                case 3 -> text.append("u").append(i).append(",{},maybe");
                case 4 -> text.append("\"u,").append(i).append("\",{},");
                default -> text.append("u").append(i).append(",,true");
            }
            text.append(random.nextInt(4) == 0 ? "\r\n" : "\n");
        }
        if (random.nextInt(10) == 0) {
            text.append("u,\"unterminated\n");
        }
        return withOptionalBom(text.toString(), random);
    }

    private static byte[] withOptionalBom(String text, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextInt(5) == 0) {
            out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private interface SeededBody {
        void run(Random random) throws Exception;
    }

    private static void withSeed(String suite, SeededBody body) throws Exception {
        long seed = Long.getLong("cdi.seed", System.nanoTime());
        System.out.println(suite + " seed " + seed);
        try {
            body.run(new Random(seed));
        } catch (AssertionError | Exception e) {
            throw new AssertionError(suite + " failed with seed " + seed + "; rerun with -Dcdi.seed=" + seed + ": " + e.getMessage(), e);
        }
    }
}
