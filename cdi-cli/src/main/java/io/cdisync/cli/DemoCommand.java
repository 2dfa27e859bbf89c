package io.cdisync.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.store.FileWatermarkStore;
import io.cdisync.testkit.BrazeTestClients;
import io.cdisync.testkit.FakeBraze;
import io.cdisync.testkit.FakeTable;
import io.cdisync.testkit.FakeWarehouse;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code cdi demo}: a self-contained sync. A generated USERS_ATTRIBUTES_SYNC table (with a few broken
 * rows) in the embedded fake warehouse is synced to a fake Braze listening on 127.0.0.1, then new rows
 * are added and a second, incremental run picks up only those.
 */
final class DemoCommand {
    private final PrintStream out;
    private final PrintStream err;

    DemoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        int rows = 10_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rows") && i + 1 < args.length) {
                try {
                    rows = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    err.println("cdi demo: --rows needs a number, got '" + args[i] + "'");
                    return Main.USAGE;
                }
                if (rows < 10) {
                    err.println("cdi demo: --rows must be at least 10");
                    return Main.USAGE;
                }
            } else {
                err.println("cdi demo: unknown option '" + args[i] + "' (usage: cdi demo [--rows N])");
                return Main.USAGE;
            }
        }
        Path state;
        try {
            state = Files.createTempDirectory("cdi-demo-state");
        } catch (IOException e) {
            err.println("cdi demo: cannot create a temporary directory: " + e.getMessage());
            return Main.GLOBAL_FAILURE;
        }
        try (FakeBraze braze = FakeBraze.start(); BrazeClient client = BrazeTestClients.clientFor(braze)) {
            FakeWarehouse warehouse = new FakeWarehouse();
            FakeTable table = warehouse.createTable("USERS_ATTRIBUTES_SYNC");
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
            generate(table, start, rows);
            out.println("cdi demo: " + rows + " rows in table USERS_ATTRIBUTES_SYNC (embedded fake warehouse)");
            out.println("          -> fake Braze at " + braze.url() + ", watermark in " + state);
            out.println();

            SyncRunner runner = SyncRunner.builder()
                    .syncId("demo-users")
                    .source(warehouse.connector("USERS_ATTRIBUTES_SYNC"))
                    .braze(client)
                    .watermarkStore(new FileWatermarkStore(state))
                    .lookback(Duration.ofMinutes(10))
                    .concurrency(8)
                    .listener(new Progress(out))
                    .build();
            SyncReport first = runner.run();
            out.println("first run");
            out.print(first.summary());
            out.println();

            for (int i = 0; i < 5; i++) {
                table.insert(FakeTable.attributes(start.plus(Duration.ofMinutes(90)), "new-user-" + i,
                        "{\"plan\":\"trial\",\"signup\":{\"channel\":\"web\"}}"));
            }
            SyncReport second = runner.run();
            out.println("second run, after 5 new rows were added");
            out.print(second.summary());
            out.println();

            out.println("Braze received " + braze.attributes().size() + " attribute objects in "
                    + braze.requestCount("/users/track") + " requests; a sample:");
            braze.attributes().stream().limit(3).map(ObjectNode::toString).forEach(s -> out.println("  " + s));
            boolean ok = first.status() != SyncStatus.ERROR && second.status() != SyncStatus.ERROR;
            return ok ? Main.OK : Main.GLOBAL_FAILURE;
        } finally {
            deleteQuietly(state);
        }
    }

    /** Users with a few attribute versions each, nested objects and arrays, and some broken rows. */
    private static void generate(FakeTable table, Instant start, int rows) {
        int users = Math.max(1, rows / 4);
        for (int i = 0; i < rows; i++) {
            Instant updatedAt = start.plusMillis(i * 500L);
            String user = "user-" + (i % users);
            String payload;
            if (i % 997 == 13) {
                payload = "{\"plan\": \"gold\""; // malformed: a row error, the rest of the batch still goes
            } else if (i % 1499 == 7) {
                payload = "{\"external_id\":\"someone-else\"}"; // identifier inside PAYLOAD: refused
            } else {
                payload = "{\"plan\":\"" + (i % 3 == 0 ? "gold" : "silver") + "\",\"visits\":" + i
                        + ",\"address\":{\"city\":\"Paris\",\"zip\":\"750" + (i % 20) + "\"},\"pets\":[{\"name\":\"Rex\"}]}";
            }
            table.insert(SourceRow.builder().updatedAt(updatedAt).externalId(user).payload(payload).build());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; nothing to do
        }
    }

    /** Prints a progress line about once a second. */
    private static final class Progress implements SyncListener {
        private final PrintStream out;

        Progress(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onProgress(String syncId, SyncProgress progress) {
            out.printf("  %s: %,d rows read, %,d delivered, %,.0f rows/s, %d 429s waited%n", syncId, progress.rowsRead(),
                    progress.rowsDelivered(), progress.rowsPerSecond(), progress.rateLimitedWaits());
        }
    }
}
