package io.cdisync.benchmarks;

import java.util.Locale;

/**
 * One line of the harness's table.
 *
 * @param scenario     what ran
 * @param rows         rows synced (or requests x 75 for the fake's ceiling)
 * @param seconds      wall time
 * @param rowsPerSec   steady-state rows per second (10% to 90% of the run; whole run when short)
 * @param ratio        rows/s as a share of Braze's 75,000 rows/s
 * @param rateLimited  429 answers
 * @param requests     requests sent
 * @param cpuSeconds   this JVM's CPU time (the sync's side; the fake runs in its own JVM)
 * @param fakeCpu      the fake Braze's CPU time
 * @param peakHeapMb   peak used heap of this JVM
 * @param note         anything else (status, settings)
 */
record Result(String scenario, long rows, double seconds, double rowsPerSec, double ratio, long rateLimited, long requests,
        double cpuSeconds, double fakeCpu, double peakHeapMb, String note) {

    static final double BRAZE_ROWS_PER_SEC = 75_000;

    static String header() {
        return String.format(Locale.ROOT, "| %-44s | %10s | %7s | %9s | %6s | %13s | %7s | %7s | %8s | %s |%n"
                        + "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
                "scenario", "rows", "seconds", "rows/s", "% Braze", "429s", "CPU s", "fake CPU", "peak heap", "notes",
                "-".repeat(44), "-".repeat(10), "-".repeat(7), "-".repeat(9), "-".repeat(7), "-".repeat(13), "-".repeat(7),
                "-".repeat(8), "-".repeat(9), "---");
    }

    String line() {
        String limited = requests == 0 ? Long.toString(rateLimited)
                : String.format(Locale.ROOT, "%d (%.2f%%)", rateLimited, 100.0 * rateLimited / requests);
        return String.format(Locale.ROOT, "| %-44s | %,10d | %7.1f | %,9.0f | %6.1f%% | %13s | %7.1f | %8.1f | %6.0f MB | %s |",
                scenario, rows, seconds, rowsPerSec, 100 * ratio, limited, cpuSeconds, fakeCpu, peakHeapMb, note);
    }
}
