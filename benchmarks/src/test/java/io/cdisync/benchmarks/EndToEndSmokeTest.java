package io.cdisync.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness runs end to end on a few thousand rows (CI stays fast: the real runs are manual). */
class EndToEndSmokeTest {
    @Test
    void aSmallSyncThroughTheHarnessDeliversEveryRowAndPrintsItsLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Result> results = EndToEnd.run(new String[] {"--in-process", "--rows", "3000", "--scenarios", "80ms"},
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.rows()).isEqualTo(3000);
            assertThat(r.requests()).isBetween(40L, 80L); // full requests of 75, a few partial at the end
            assertThat(r.rateLimited()).isZero();
        });
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| scenario").contains("80 ms latency");
    }

    @Test
    void samplePayloadsHaveTheAskedSize() {
        for (int size : new int[] {100, 300, 1_000, 10_000, 100_000}) {
            assertThat(SamplePayloads.payload(42, size)).hasSize(size).startsWith("{").endsWith("}").contains("\"address\":{");
        }
    }
}
