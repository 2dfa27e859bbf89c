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
 * Target 4 of issue 8: how the cost of a row grows with its payload (100 B, 1 KB, 10 KB, 100 KB), on one
 * core, engine and naive path side by side. The score is microseconds per row; divide the payload size
 * by it for bytes per microsecond (MB/s).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PayloadSizeBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Threads(1)
public class PayloadSizeBenchmark {
    /** PAYLOAD size in bytes. */
    @Param({"100", "1000", "10000", "100000"})
    public int payloadBytes;

    private RequestPaths paths;
    private List<SourceRow> rows;

    /** Builds the rows once. */
    @Setup
    public void setUp() {
        paths = new RequestPaths();
        rows = RequestPaths.rows(75, payloadBytes);
    }

    /** The engine's path, per row. */
    @Benchmark
    @OperationsPerInvocation(75)
    public byte[] cdi() throws Exception {
        return paths.cdi(rows);
    }

    /** The naive path, per row. */
    @Benchmark
    @OperationsPerInvocation(75)
    public byte[] naive() throws Exception {
        return paths.naive(rows);
    }
}
