package io.cdisync.cli;

import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncStatus;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cdi sync}: one run of the sync; exit code 0, 3 with row errors, 1 on a global failure. */
@Command(name = "sync", description = "Run the sync once.")
final class SyncCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ConfigOption config;

    @Option(names = "--dry-run", description = "Read and validate the rows, send nothing, move no watermark.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    SyncCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try (SyncSetup setup = config.setup(context)) {
            boolean progressLine = context.terminal() && !json;
            SyncListener progress = progressLine ? new ProgressLine(context.err()) : new SyncListener() { };
            SyncReport report;
            if (dryRun) {
                report = setup.runner(progress).dryRun();
            } else if (setup.runLog() != null) {
                // Recorded in the run log with every failed row, so that `retry-failed` can re-send them.
                report = setup.operator(progress).run(setup.integration(), setup.source).report();
            } else {
                report = setup.runner(progress).run();
            }
            if (progressLine) {
                context.err().print("\r\033[K");
            }
            if (!report.dryRun()) {
                RunHistory.append(setup, report, context.err());
            }
            if (json) {
                context.out().println(JsonReports.of(report));
            } else {
                context.out().print(report.summary());
            }
            return exitCode(report);
        }
    }

    static int exitCode(SyncReport report) {
        if (report.status() == SyncStatus.ERROR) {
            return Main.GLOBAL_FAILURE;
        }
        return report.rowsFailed() > 0 ? Main.ROW_ERRORS : Main.OK;
    }

    /** A progress line on a terminal: rows, rows/s, 429s waited. */
    private static final class ProgressLine implements SyncListener {
        private final PrintStream err;

        ProgressLine(PrintStream err) {
            this.err = err;
        }

        @Override
        public void onProgress(String syncId, SyncProgress p) {
            err.printf("\r\033[K%s: %,d rows read, %,d delivered, %,d failed, %,.0f rows/s, %d 429s waited", syncId,
                    p.rowsRead(), p.rowsDelivered(), p.rowsFailed(), p.rowsPerSecond(), p.rateLimitedWaits());
        }
    }
}
