package io.cdisync.cli;

import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncReport;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cdi check}: the source's connection test, then a dry run's validation summary; exit code 0, or 3 with row errors. */
@Command(name = "check", description = "Connection test, table and columns, validation summary.")
final class CheckCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ConfigOption config;

    CheckCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try (SyncSetup setup = config.setup(context)) {
            PrintStream out = context.out();
            out.println("source: " + setup.source.describe());
            setup.source.check();
            out.println("  connection, permissions, table and columns: ok");
            SyncReport dry = setup.runner(new SyncListener() { }).dryRun();
            if (dry.failure() != null) {
                throw dry.failure();
            }
            out.println("  rows pending: " + dry.rowsRead() + " (" + dry.rowsDelivered() + " valid, " + dry.rowsFailed()
                    + " with row errors, " + dry.rowsSkipped() + " already delivered, " + dry.rowsHeldBack() + " held back)");
            dry.rowErrors().stream().limit(10).forEach(e -> out.println("  row error: " + e));
            out.println(dry.rowsFailed() == 0 ? "check passed" : "check passed with row errors");
            return dry.rowsFailed() == 0 ? Main.OK : Main.ROW_ERRORS;
        }
    }
}
