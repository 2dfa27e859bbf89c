package io.cdisync.benchmarks;

import io.cdisync.testkit.FakeBraze;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FakeBraze} of its own, in a child JVM, so that the harness measures the sync's CPU and heap
 * alone. The parent talks over stdin/stdout: the child prints {@code URL <url>}, answers {@code stats}
 * with {@code STATS <requests> <429s> <objects>}, and stops at end of input.
 *
 * <p>{@link #main} arguments: {@code <latencyMillis> <requestsPerWindow (0: no limit)> <windowMillis>}.
 */
public final class FakeBrazeProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String url;

    private FakeBrazeProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        String line = out.readLine();
        while (line != null && line.startsWith("[")) { // JVM log lines (JFR, GC) come first
            line = out.readLine();
        }
        if (line == null || !line.startsWith("URL ")) {
            process.destroyForcibly();
            throw new IOException("the fake Braze process did not start (said " + line + ")");
        }
        this.url = line.substring(4);
    }

    /**
     * Starts a fake Braze in a child JVM with the harness's class path.
     *
     * @param latency     added to every request
     * @param limit       requests per window on {@code /users/track}, 0 for none
     * @param window      the rate-limit window
     */
    public static FakeBrazeProcess start(Duration latency, int limit, Duration window) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+UseParallelGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        // e.g. -Dcdi.bench.fakeJvmOptions=-XX:StartFlightRecording=filename=fake.jfr to profile the fake
        String extra = System.getProperty("cdi.bench.fakeJvmOptions", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FakeBrazeProcess.class.getName(),
                Long.toString(latency.toMillis()), Integer.toString(limit), Long.toString(window.toMillis())));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new FakeBrazeProcess(process);
    }

    /** {@return the fake's base URL} */
    public String url() {
        return url;
    }

    /** {@return the fake's API key} */
    public String apiKey() {
        return FakeBraze.DEFAULT_API_KEY;
    }

    /** {@return requests answered, 429s and objects accepted so far, as counted by the fake} */
    public long[] stats() throws IOException {
        in.println("stats");
        String line = out.readLine();
        if (line == null || !line.startsWith("STATS ")) {
            throw new IOException("the fake Braze process answered " + line);
        }
        String[] parts = line.split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])};
    }

    /** {@return CPU time the child JVM used so far, in seconds} */
    public double cpuSeconds() {
        return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    @Override
    public void close() {
        in.close();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The child's entry point. */
    public static void main(String[] args) throws IOException {
        FakeBraze.Builder builder = FakeBraze.builder().countOnly().latency(Duration.ofMillis(Long.parseLong(args[0])));
        int limit = Integer.parseInt(args[1]);
        if (limit > 0) {
            builder.trackRateLimit(limit, Duration.ofMillis(Long.parseLong(args[2])));
        }
        try (FakeBraze braze = builder.start()) {
            PrintWriter stdout = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
            stdout.println("URL " + braze.url());
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = stdin.readLine()) != null) {
                if (line.equals("stats")) {
                    stdout.println("STATS " + braze.requestCount("/users/track") + " " + braze.rateLimitedCount() + " "
                            + braze.trackObjectsAccepted());
                }
            }
        }
    }
}
