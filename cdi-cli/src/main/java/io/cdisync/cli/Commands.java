package io.cdisync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.PreviewRow;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.ops.RetryResult;
import io.cdisync.core.ops.RunStatus;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.TableWatermark;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code check}, {@code preview}, {@code sync}, {@code status} and {@code retry-failed}: the config-driven commands. */
final class Commands {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean terminal;

    Commands(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.terminal = terminal;
    }

    int run(String command, Arguments args) {
        CliConfig config = CliConfig.load(args.config(), env);
        try (SyncSetup setup = new SyncSetup(config)) {
            return switch (command) {
                case "sync" -> sync(setup, args);
                case "check" -> check(setup);
                case "preview" -> preview(setup, args.limit());
                case "status" -> status(setup, args.json());
                case "retry-failed" -> retryFailed(setup, args.json());
                default -> throw new IllegalArgumentException(command);
            };
        }
    }

    private int sync(SyncSetup setup, Arguments args) {
        SyncListener progress = terminal && !args.json() ? new ProgressLine(err) : new SyncListener() { };
        SyncReport report;
        if (args.dryRun()) {
            report = setup.runner(progress).dryRun();
        } else if (setup.runLog() != null) {
            // Recorded in the run log with every failed row, so that `retry-failed` can re-send them.
            report = setup.operator(progress).run(setup.integration(), setup.source).report();
        } else {
            report = setup.runner(progress).run();
        }
        if (terminal && !args.json()) {
            err.print("\r\033[K");
        }
        if (!report.dryRun()) {
            appendRunLog(setup, report);
        }
        if (args.json()) {
            out.println(JsonReports.of(report));
        } else {
            out.print(report.summary());
        }
        return exitCode(report);
    }

    private int check(SyncSetup setup) {
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

    private int preview(SyncSetup setup, int limit) {
        List<PreviewRow> rows = setup.runner(new SyncListener() { }).preview(limit);
        int invalid = 0;
        for (PreviewRow row : rows) {
            if (row.valid()) {
                out.println(row.rowKey() + "  " + row.updatedAt() + "  -> " + row.object());
            } else {
                invalid++;
                out.println(row.rowKey() + "  " + row.updatedAt() + "  !! " + row.error().reason());
            }
        }
        out.println(rows.size() + " rows previewed, " + invalid + " with row errors");
        return invalid == 0 ? Main.OK : Main.ROW_ERRORS;
    }

    private int status(SyncSetup setup, boolean json) {
        String name = setup.config.sync().name();
        Optional<StoredWatermark> stored = setup.store.load(name);
        String watermark = stored.map(s -> s.watermark() instanceof TableWatermark t ? t.updatedAt().toString() : null).orElse(null);
        FileLedger ledger = stored.map(s -> s.watermark() instanceof FileLedger l ? l : null).orElse(null);
        JsonNode last = lastRun(setup);
        if (json) {
            ObjectNode root = JsonReports.JSON.createObjectNode();
            root.put("sync", name);
            root.put("watermark", watermark);
            root.put("version", stored.map(StoredWatermark::version).orElse(0L));
            root.set("lastRun", last);
            if (ledger != null) {
                ObjectNode files = root.putObject("files");
                files.put("processed", ledger.files().size());
                files.put("since", ledger.since() == null ? null : ledger.since().toString());
                files.put("current", ledger.current() == null ? null : ledger.current().key());
                files.put("currentRecordsDone", ledger.current() == null ? 0 : ledger.current().records());
            }
            out.println(root);
        } else if (ledger != null) {
            out.println("sync " + name + ": " + ledger.files().size() + " files processed"
                    + (ledger.since() == null ? " (backfill)" : " (files added since " + ledger.since() + ")")
                    + (ledger.current() == null ? "" : "; " + ledger.current().key() + " done up to record " + ledger.current().records()));
        } else {
            out.println("sync " + name + ": watermark " + (watermark == null ? "(never synced)" : watermark));
            if (last != null) {
                out.println("  last run " + last.path("startedAt").asText() + ": " + last.path("status").asText() + ", read "
                        + last.path("rowsRead").asLong() + ", delivered " + last.path("rowsDelivered").asLong() + ", failed "
                        + last.path("rowsFailed").asLong());
            }
        }
        return Main.OK;
    }

    /** Re-sends the failed rows kept in the run log; exit code 0, 3 when rows failed again, 1 on a global failure. */
    private int retryFailed(SyncSetup setup, boolean json) {
        if (setup.runLog() == null) {
            throw new ConfigException("state.type: retry-failed needs the run log kept with state type file");
        }
        RetryResult retry = setup.operator(new SyncListener() { }).retryFailedRows(setup.integration());
        String name = setup.config.sync().name();
        if (json) {
            ObjectNode root = JsonReports.JSON.createObjectNode();
            root.put("sync", name);
            root.put("status", retry.run() == null ? "NOTHING_TO_RETRY" : retry.run().status().name());
            root.put("retried", retry.retried());
            root.put("delivered", retry.delivered());
            root.put("failedAgain", retry.failedAgain());
            root.put("notRetryable", retry.notRetryable());
            root.put("left", retry.left());
            if (retry.run() != null && retry.run().failure() != null) {
                root.put("failure", retry.run().failure());
            }
            out.println(root);
        } else {
            out.println("retry-failed " + name + ": " + retry.retried() + " failed rows re-sent: " + retry.delivered() + " delivered, "
                    + retry.failedAgain() + " failed again" + (retry.left() > 0 ? ", " + retry.left() + " left for the next retry" : ""));
            if (retry.notRetryable() > 0) {
                out.println("  " + retry.notRetryable() + " failed rows were kept without their payload and cannot be re-sent"
                        + " (set sync.keepFailedRowPayloads: true to keep it)");
            }
            if (retry.run() != null && retry.run().failure() != null) {
                out.println("  failure: " + retry.run().failure());
            }
        }
        if (retry.run() != null && retry.run().status() == RunStatus.ERROR) {
            return Main.GLOBAL_FAILURE;
        }
        return retry.failedAgain() > 0 ? Main.ROW_ERRORS : Main.OK;
    }

    static int exitCode(SyncReport report) {
        if (report.status() == SyncStatus.ERROR) {
            return Main.GLOBAL_FAILURE;
        }
        return report.rowsFailed() > 0 ? Main.ROW_ERRORS : Main.OK;
    }

    private void appendRunLog(SyncSetup setup, SyncReport report) {
        if (setup.runLogDirectory == null) {
            return;
        }
        Path log = setup.runLogDirectory.resolve(report.syncId() + ".runs.jsonl");
        try {
            Files.createDirectories(setup.runLogDirectory);
            Files.writeString(log, JsonReports.of(report) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            err.println("cdi: warning: cannot append to run log " + log + ": " + e.getMessage());
        }
    }

    private static JsonNode lastRun(SyncSetup setup) {
        if (setup.runLogDirectory == null) {
            return null;
        }
        Path log = setup.runLogDirectory.resolve(setup.config.sync().name() + ".runs.jsonl");
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? null : JsonReports.JSON.readTree(lines.get(lines.size() - 1));
        } catch (IOException e) {
            return null;
        }
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
