package io.cdisync.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncProgress;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.JdbcSource;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.store.FileWatermarkStore;
import io.cdisync.testkit.BrazeTestClients;
import io.cdisync.testkit.FakeBraze;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdi demo}: a self-contained sync. A generated USERS_ATTRIBUTES_SYNC table (with a few broken
 * rows) in an embedded DuckDB file is synced to a fake Braze listening on 127.0.0.1, then new rows are
 * added and a second, incremental run picks up only those.
 */
@Command(name = "demo", description = "Sync a generated sample table into a local fake Braze.")
final class DemoCommand implements Callable<Integer> {
    private static final String TABLE = "USERS_ATTRIBUTES_SYNC";

    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--rows", paramLabel = "N", description = "Rows in the sample table, at least 10 (default ${DEFAULT-VALUE}).")
    int rows = 10_000;

    DemoCommand(CliContext context) {
        this.out = context.out();
        this.err = context.err();
    }

    @Override
    public Integer call() {
        if (rows < 10) {
            throw new UsageException("cdi demo: --rows must be at least 10");
        }
        Path state;
        try {
            state = Files.createTempDirectory("cdi-demo");
        } catch (IOException e) {
            err.println("cdi demo: cannot create a temporary directory: " + e.getMessage());
            return Main.GLOBAL_FAILURE;
        }
        String url = "jdbc:duckdb:" + state.resolve("warehouse.duckdb");
        try (FakeBraze braze = FakeBraze.start(); BrazeClient client = BrazeTestClients.clientFor(braze)) {
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
            execute(url, "CREATE TABLE " + TABLE + " (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR)",
                    generate(start, rows));
            out.println("cdi demo: " + rows + " rows in table " + TABLE + " of an embedded DuckDB database");
            out.println("          -> fake Braze at " + braze.url() + ", watermark in " + state);
            out.println();

            SyncRunner runner = SyncRunner.builder()
                    .syncId("demo-users")
                    .source(JdbcSource.builder().connectionFactory(ConnectionFactory.of(url)).table(TABLE)
                            .dialect(SqlDialect.duckdb()).build())
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

            execute(url, "INSERT INTO " + TABLE + " SELECT TIMESTAMP '" + timestamp(start.plus(Duration.ofMinutes(90)))
                    + "', 'new-user-' || i, '{\"plan\":\"trial\",\"signup\":{\"channel\":\"web\"}}' FROM range(0, 5) t(i)");
            SyncReport second = runner.run();
            out.println("second run, after 5 new rows were added");
            out.print(second.summary());
            out.println();

            out.println("Braze received " + braze.attributes().size() + " attribute objects in "
                    + braze.requestCount("/users/track") + " requests; a sample:");
            braze.attributes().stream().limit(3).map(ObjectNode::toString).forEach(s -> out.println("  " + s));
            boolean ok = first.status() != SyncStatus.ERROR && second.status() != SyncStatus.ERROR;
            return ok ? Main.OK : Main.GLOBAL_FAILURE;
        } catch (SQLException e) {
            err.println("cdi demo: cannot create the sample DuckDB table: " + e.getMessage());
            return Main.GLOBAL_FAILURE;
        } finally {
            deleteQuietly(state);
        }
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String timestamp(Instant instant) {
        return instant.toString().replace('T', ' ').replace("Z", "");
    }

    /**
     * Users with a few attribute versions each, nested objects and arrays, and some broken rows (malformed
     * JSON, an identifier inside PAYLOAD): those are reported, and the rest of their batch still goes.
     */
    private static String generate(Instant start, int rows) {
        int users = Math.max(1, rows / 4);
        return "INSERT INTO " + TABLE + " SELECT TIMESTAMP '" + timestamp(start) + "' + INTERVAL (i * 500) MILLISECOND,"
                + " 'user-' || (i % " + users + "),"
                + " CASE WHEN i % 997 = 13 THEN '{\"plan\": \"gold\"'"
                + " WHEN i % 1499 = 7 THEN '{\"external_id\":\"someone-else\"}'"
                + " ELSE '{\"plan\":\"' || CASE WHEN i % 3 = 0 THEN 'gold' ELSE 'silver' END || '\",\"visits\":' || i"
                + " || ',\"address\":{\"city\":\"Paris\",\"zip\":\"750' || (i % 20) || '\"},\"pets\":[{\"name\":\"Rex\"}]}' END"
                + " FROM range(0, " + rows + ") t(i)";
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
