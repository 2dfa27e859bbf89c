package io.cdisync.benchmarks;

import io.cdisync.testkit.FakeBraze;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The end-to-end harness of issue 8 (targets 1, 3 and 4): attribute syncs from the fake warehouse to a fake
 * Braze with Braze's rate limit (3,000 requests / 3 s, 75 objects per request) and per-request latency,
 * printed as one Markdown table. The fake runs in a child JVM, so CPU and heap are the sync's own; the
 * constant-memory scenarios (a 10-million-row generated table, 1 million rows from PostgreSQL) run in a
 * second child JVM with {@code -Xmx128m} (see {@code --memory-heap}), the others in this one.
 *
 * <pre>
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar io.cdisync.benchmarks.EndToEnd [--rows 2000000]
 *     [--memory-rows 10000000] [--pg-rows 1000000] [--scenarios ceiling,80ms,200ms,scaling,memory,postgres]
 *     [--payload-bytes 300]
 *     [--concurrency N] [--in-process]
 * </pre>
 */
public final class EndToEnd {
    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final int LIMIT = 3_000;

    private final long rows;
    private final long memoryRows;
    private final long pgRows;
    private final Set<String> scenarios;
    private final int payloadBytes;
    private final int concurrency;
    private final boolean inProcess;
    private final String memoryHeap;
    private final boolean child;

    private EndToEnd(String[] args) {
        long rows = 2_000_000;
        long memoryRows = 10_000_000;
        long pgRows = 1_000_000;
        String scenarios = "ceiling,80ms,200ms,scaling,memory" + (PostgresScenario.available() ? ",postgres" : "");
        int payloadBytes = 300;
        int concurrency = 0;
        boolean inProcess = false;
        String memoryHeap = "128m";
        boolean child = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--memory-rows" -> memoryRows = Long.parseLong(args[++i]);
                case "--pg-rows" -> pgRows = Long.parseLong(args[++i]);
                case "--scenarios" -> scenarios = args[++i];
                case "--payload-bytes" -> payloadBytes = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--in-process" -> inProcess = true;
                case "--memory-heap" -> memoryHeap = args[++i];
                case "--child" -> child = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --rows N,"
                        + " --memory-rows N, --pg-rows N, --scenarios ceiling,80ms,200ms,scaling,memory,postgres,"
                        + " --payload-bytes N,"
                        + " --concurrency N, --memory-heap 128m, --in-process");
            }
        }
        this.rows = rows;
        this.memoryRows = memoryRows;
        this.pgRows = pgRows;
        this.scenarios = Set.copyOf(Arrays.asList(scenarios.split(",")));
        this.payloadBytes = payloadBytes;
        this.concurrency = concurrency;
        this.inProcess = inProcess;
        this.memoryHeap = memoryHeap;
        this.child = child;
    }

    /** Runs the scenarios and prints the table to standard output. */
    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        List<Result> results = run(args, System.out);
        if (results.isEmpty()) {
            System.exit(2);
        }
    }

    /** Runs the scenarios the arguments name, printing each line as it completes; returns the lines. */
    public static List<Result> run(String[] args, PrintStream out) throws Exception {
        return new EndToEnd(args).runAll(out);
    }

    private List<Result> runAll(PrintStream out) throws Exception {
        List<Result> results = new ArrayList<>();
        if (child) {
            runMemoryScenarios(out, results);
            return results;
        }
        out.printf(Locale.ROOT, "cdi end-to-end harness, %s; %d cores, JVM %s, max heap %.0f MB (memory scenarios: -Xmx%s);"
                        + " fake Braze in %s%n%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Measurement.maxHeapMb(), memoryHeap,
                inProcess ? "this JVM" : "a child JVM (same machine)");
        out.println(Result.header());
        if (scenarios.contains("ceiling")) {
            results.add(print(out, ceiling()));
        }
        if (scenarios.contains("80ms")) {
            results.add(print(out, sync(new SyncScenario("3,000 req/3 s, 80 ms latency", rows, payloadBytes, concurrency),
                    Duration.ofMillis(80))));
        }
        if (scenarios.contains("200ms")) {
            results.add(print(out, sync(new SyncScenario("3,000 req/3 s, 200 ms latency", rows, payloadBytes, concurrency),
                    Duration.ofMillis(200))));
            if (concurrency == 0) {
                // The default (128 in flight) covers ~120 ms; at 200 ms Braze's rate needs ~200 in flight.
                results.add(print(out, sync(new SyncScenario("3,000 req/3 s, 200 ms latency", rows, payloadBytes, 256),
                        Duration.ofMillis(200))));
            }
        }
        if (scenarios.contains("scaling")) {
            for (int inFlight : new int[] {1, 4, 16, 64}) {
                // About 8 s of work at what this many requests in flight can do at 80 ms each.
                long scaled = Math.min(rows, Math.min(75_000L, inFlight * 75L * 1000 / 80) * 8);
                results.add(print(out, sync(new SyncScenario("scaling: " + inFlight + " in flight, 80 ms", scaled,
                        payloadBytes, inFlight), Duration.ofMillis(80))));
            }
        }
        if (scenarios.contains("memory") || scenarios.contains("postgres")) {
            if (inProcess) {
                runMemoryScenarios(out, results);
            } else {
                runMemoryChild(out);
            }
        }
        long load = Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100);
        out.printf(Locale.ROOT, "%nload average at the end: %.2f; rows/s is the steady state (10%%-90%% of the run)%n",
                load / 100.0);
        return results;
    }

    private void runMemoryScenarios(PrintStream out, List<Result> results) throws IOException {
        if (scenarios.contains("memory")) {
            results.add(print(out, sync(new SyncScenario(String.format(Locale.ROOT, "constant memory: %,d rows, -Xmx%.0fm",
                    memoryRows, Measurement.maxHeapMb()), memoryRows, payloadBytes, concurrency), Duration.ofMillis(80))));
        }
        if (scenarios.contains("postgres")) {
            results.add(print(out, postgres()));
        }
    }

    /** Targets 3's runs in a JVM of their own with the small heap, so the other scenarios keep a normal one. */
    private void runMemoryChild(PrintStream out) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx" + memoryHeap,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"),
                "-cp", System.getProperty("java.class.path"), EndToEnd.class.getName(), "--child",
                "--scenarios", String.join(",", scenarios), "--memory-rows", Long.toString(memoryRows),
                "--pg-rows", Long.toString(pgRows), "--payload-bytes", Integer.toString(payloadBytes),
                "--concurrency", Integer.toString(concurrency)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("| ")) {
                    out.println(line);
                }
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the memory scenarios failed (exit " + process.exitValue() + "); see above");
        }
    }

    private static Result print(PrintStream out, Result result) {
        out.println(result.line());
        return result;
    }

    private Result sync(SyncScenario scenario, Duration latency) throws IOException {
        if (inProcess) {
            try (FakeBraze braze = FakeBraze.builder().countOnly().latency(latency).trackRateLimit(LIMIT, WINDOW).start()) {
                return scenario.run(braze.url(), braze.apiKey(), () -> 0);
            }
        }
        try (FakeBrazeProcess braze = FakeBrazeProcess.start(latency, LIMIT, WINDOW)) {
            return scenario.run(braze.url(), braze.apiKey(), braze::cpuSeconds);
        }
    }

    private Result postgres() throws IOException {
        var source = PostgresScenario.prepare(pgRows, payloadBytes);
        SyncScenario scenario = new SyncScenario(String.format(Locale.ROOT, "PostgreSQL: %,d rows, -Xmx%.0fm", pgRows,
                Measurement.maxHeapMb()), pgRows, payloadBytes, concurrency);
        try (FakeBrazeProcess braze = FakeBrazeProcess.start(Duration.ofMillis(80), LIMIT, WINDOW)) {
            return scenario.run(source, braze.url(), braze.apiKey(), braze::cpuSeconds);
        }
    }

    /** The fake's own ceiling: no rate limit, no latency, 64 requests of 75 objects in flight for 10 s after 3 s of warm-up. */
    private Result ceiling() throws IOException, InterruptedException {
        Duration duration = Duration.ofSeconds(inProcess ? 1 : 10);
        if (inProcess) {
            try (FakeBraze braze = FakeBraze.builder().countOnly().start()) {
                return ceiling(braze.url(), braze.apiKey(), duration, () -> 0);
            }
        }
        try (FakeBrazeProcess braze = FakeBrazeProcess.start(Duration.ZERO, 0, WINDOW)) {
            return ceiling(braze.url(), braze.apiKey(), duration, braze::cpuSeconds);
        }
    }

    private Result ceiling(String url, String apiKey, Duration duration, java.util.function.DoubleSupplier fakeCpu)
            throws InterruptedException {
        Measurement measured = new Measurement();
        CeilingProbe.Ceiling ceiling;
        try (measured) {
            ceiling = CeilingProbe.measure(url, apiKey, 64, duration, payloadBytes, fakeCpu);
        }
        double perSecond = ceiling.requestsPerSecond();
        return new Result("fake Braze ceiling: no limit, no latency", ceiling.requests() * 75, measured.seconds(),
                perSecond * 75, perSecond * 75 / Result.BRAZE_ROWS_PER_SEC, 0, ceiling.requests(), measured.cpuSeconds(),
                ceiling.fakeCpuSeconds(), measured.peakHeapMb(), String.format(Locale.ROOT, "%,.0f requests/s with 64 in"
                        + " flight, sharing 2 cores with this client; %,.0f requests/s per core of the fake (Braze: 1,000)",
                        perSecond, ceiling.requestsPerFakeCore()));
    }
}
