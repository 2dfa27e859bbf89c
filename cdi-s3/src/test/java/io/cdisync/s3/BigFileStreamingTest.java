package io.cdisync.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.testkit.FakeBraze;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB file streams through a sync whose JVM has a 64 MB heap: the file is never held whole, and
 * memory stays bounded whatever the file's size. The file is generated here (never committed) and kept by
 * an S3 server on disk; the sync runs in a child JVM started with {@code -Xmx64m}.
 */
class BigFileStreamingTest {
    static final long TARGET_BYTES = 200L << 20;

    @Test
    void a200MegabyteFileStreamsThroughA64MegabyteHeap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.json");
        long rows = generate(file);
        assertThat(Files.size(file)).isGreaterThanOrEqualTo(TARGET_BYTES);

        try (S3TestServer server = S3TestServer.startOnDisk(); FakeBraze braze = FakeBraze.builder().countOnly().start()) {
            server.createBucket("big");
            server.putFile("big", "users.json", file);
            Files.delete(file);

            Path log = dir.resolve("child.log");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    "-cp", System.getProperty("java.class.path"), BigFileChild.class.getName(),
                    server.endpoint().toString(), "big", braze.url(), braze.apiKey())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = child.waitFor(10, TimeUnit.MINUTES);
            if (!ended) {
                child.destroyForcibly();
            }
            String output = Files.readString(log);
            System.out.println("child JVM (-Xmx64m), " + rows + " rows:\n" + output.lines()
                    .filter(l -> l.startsWith("DELIVERED") || l.startsWith("PEAK") || l.startsWith("MAX") || l.contains("rows/s") || l.contains("SUCCESS"))
                    .reduce("", (a, b) -> a + b + "\n"));
            assertThat(ended).as("the child finished").isTrue();
            assertThat(output).doesNotContain("OutOfMemoryError");
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("DELIVERED=" + rows);
            assertThat(braze.trackObjectsAccepted()).isEqualTo(rows);
            long maxHeap = Long.parseLong(output.replaceAll("(?s).*MAX_HEAP=(\\d+).*", "$1"));
            assertThat(maxHeap).isLessThanOrEqualTo(64L << 20);
        }
    }

    /** Lines of about 300 bytes, 700 thousand of them; returns how many. */
    static long generate(Path file) throws IOException {
        String pad = "x".repeat(220);
        long rows = 0;
        long bytes = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (bytes < TARGET_BYTES) {
                String line = "{\"external_id\":\"user-" + rows + "\",\"payload\":{\"n\":" + rows + ",\"pad\":\"" + pad + "\"}}\n";
                out.write(line);
                bytes += line.length();
                rows++;
            }
        }
        return rows;
    }
}
