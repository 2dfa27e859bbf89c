package io.cdisync.benchmarks;

import io.cdisync.core.spi.SourceRow;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Target 2 of issue 8: rows per second on one core from a source row to request bytes (identifier
 * resolution, payload validation, serialization) for a 300-byte payload with one nested object, with
 * the naive baseline in the same run. One invocation turns 75 rows (one full request) into its body.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RowToRequestBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Threads(1)
public class RowToRequestBenchmark {
    /** PAYLOAD size in bytes. */
    @Param({"300"})
    public int payloadBytes;

    private RequestPaths paths;
    private List<SourceRow> rows;

    /** Builds the rows once: the source's own cost is not measured here. */
    @Setup
    public void setUp() {
        paths = new RequestPaths();
        rows = RequestPaths.rows(75, payloadBytes);
    }

    /** The engine's path; the score is rows per second. */
    @Benchmark
    @OperationsPerInvocation(75)
    public byte[] cdi() throws Exception {
        return paths.cdi(rows);
    }

    /** The naive path; the score is rows per second. */
    @Benchmark
    @OperationsPerInvocation(75)
    public byte[] naive() throws Exception {
        return paths.naive(rows);
    }
}
