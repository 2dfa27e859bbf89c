package io.cdisync.cli;

import io.cdisync.core.PreviewRow;
import io.cdisync.core.SyncListener;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cdi preview}: the next rows and the Braze objects they would become; exit code 0, or 3 with row errors. */
@Command(name = "preview", description = "The next rows and the Braze objects they would become.")
final class PreviewCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ConfigOption config;

    @Option(names = "--limit", paramLabel = "N", description = "Rows to show (default ${DEFAULT-VALUE}).")
    int limit = 10;

    PreviewCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new UsageException("cdi preview: --limit must be at least 1");
        }
        try (SyncSetup setup = config.setup(context)) {
            List<PreviewRow> rows = setup.runner(new SyncListener() { }).preview(limit);
            int invalid = 0;
            for (PreviewRow row : rows) {
                if (row.valid()) {
                    context.out().println(row.rowKey() + "  " + row.updatedAt() + "  -> " + row.object());
                } else {
                    invalid++;
                    context.out().println(row.rowKey() + "  " + row.updatedAt() + "  !! " + row.error().reason());
                }
            }
            context.out().println(rows.size() + " rows previewed, " + invalid + " with row errors");
            return invalid == 0 ? Main.OK : Main.ROW_ERRORS;
        }
    }
}
