package io.cdisync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.TableWatermark;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cdi status}: the stored watermark (or a file sync's ledger) and the last run; exit code 0. */
@Command(name = "status", description = "Watermark and last run.")
final class StatusCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print the status as one JSON object.")
    boolean json;

    StatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try (SyncSetup setup = config.setup(context)) {
            PrintStream out = context.out();
            String name = setup.config.sync().name();
            Optional<StoredWatermark> stored = setup.store.load(name);
            String watermark = stored.map(s -> s.watermark() instanceof TableWatermark t ? t.updatedAt().toString() : null)
                    .orElse(null);
            FileLedger ledger = stored.map(s -> s.watermark() instanceof FileLedger l ? l : null).orElse(null);
            JsonNode last = RunHistory.last(setup);
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
                        + (ledger.current() == null ? ""
                                : "; " + ledger.current().key() + " done up to record " + ledger.current().records()));
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
    }
}
