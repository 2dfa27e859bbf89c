package io.cdisync.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.ops.internal.LockedFiles;
import io.cdisync.core.ops.internal.OpsJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run log in a directory: per integration, {@code <name>/runs.jsonl} and {@code <name>/failed-rows.jsonl},
 * append-only journals of JSON lines (a run's start and end; a failed row recorded or removed), each append
 * forced to disk under a lock file held across processes. Readers fold a journal (the last line for a run or
 * row wins) and skip a torn last line left by a crash. {@link #prune(Clock)} rewrites each journal with what
 * is kept, atomically.
 *
 * <p>Reading folds the whole journal: fine for thousands of runs and failed rows per integration; for
 * millions of failed rows, use {@link JdbcRunLog}. Thread-safe.
 */
public final class FileRunLog implements RunLog {
    private static final Logger log = LoggerFactory.getLogger(FileRunLog.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String RUNS = "runs.jsonl";
    private static final String FAILED = "failed-rows.jsonl";

    private final Path directory;
    private final RunLogRetention retention;

    /** A log in {@code directory} with the default retention. */
    public FileRunLog(Path directory) {
        this(directory, RunLogRetention.DEFAULT);
    }

    /** A log in {@code directory} with {@code retention}. */
    public FileRunLog(Path directory, RunLogRetention retention) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    @Override
    public void runStarted(RunRecord run) {
        appendLines(run.integration(), RUNS, List.of(OpsJson.run(run)));
    }

    @Override
    public void runFinished(RunRecord run) {
        appendLines(run.integration(), RUNS, List.of(OpsJson.run(run)));
    }

    @Override
    public Optional<RunRecord> run(String integration, String runId) {
        return Optional.ofNullable(underLock(integration, () -> readRuns(integration)).get(runId));
    }

    @Override
    public List<RunRecord> runs(String integration, int limit) {
        return underLock(integration, () -> readRuns(integration)).values().stream()
                .sorted(Comparator.comparing(RunRecord::startedAt).reversed()).limit(limit).toList();
    }

    @Override
    public void recordFailedRows(List<FailedRow> rows) {
        Map<String, List<ObjectNode>> byIntegration = new LinkedHashMap<>();
        for (FailedRow row : rows) {
            byIntegration.computeIfAbsent(row.integration(), k -> new ArrayList<>())
                    .add(OpsJson.JSON.createObjectNode().put("op", "put").set("row", OpsJson.failedRow(row)));
        }
        byIntegration.forEach((integration, lines) -> appendLines(integration, FAILED, lines));
    }

    @Override
    public void removeFailedRows(String integration, Collection<FailedRow.Key> keys) {
        List<ObjectNode> lines = new ArrayList<>();
        for (FailedRow.Key key : keys) {
            lines.add(OpsJson.JSON.createObjectNode().put("op", "remove").put("rowKey", key.rowKey())
                    .put("updatedAt", key.updatedAt() == null ? null : key.updatedAt().toString()));
        }
        if (!lines.isEmpty()) {
            appendLines(integration, FAILED, lines);
        }
    }

    @Override
    public void forEachFailedRow(String integration, Consumer<? super FailedRow> action) {
        underLock(integration, () -> readFailed(integration)).values().forEach(action);
    }

    @Override
    public RunLogRetention.Pruned prune(Clock clock) {
        Instant now = clock.instant();
        Instant rowsCutoff = retention.failedRowsCutoff(now);
        Instant runsCutoff = retention.runsCutoff(now);
        long runs = 0;
        long rows = 0;
        for (String integration : integrations()) {
            try {
                long[] pruned = LockedFiles.locked(lockFile(integration), () -> {
                    Map<String, RunRecord> allRuns = readRuns(integration);
                    List<RunRecord> keptRuns = allRuns.values().stream().filter(r -> !r.startedAt().isBefore(runsCutoff)).toList();
                    Map<FailedRow.Key, FailedRow> allRows = readFailed(integration);
                    List<FailedRow> keptRows = allRows.values().stream().filter(r -> !r.recordedAt().isBefore(rowsCutoff)).toList();
                    rewrite(file(integration, RUNS), keptRuns.stream().map(OpsJson::run).toList());
                    rewrite(file(integration, FAILED), keptRows.stream()
                            .map(r -> (JsonNode) OpsJson.JSON.createObjectNode().put("op", "put").set("row", OpsJson.failedRow(r))).toList());
                    return new long[] {allRuns.size() - keptRuns.size(), allRows.size() - keptRows.size()};
                });
                runs += pruned[0];
                rows += pruned[1];
            } catch (IOException e) {
                throw new OpsException.StoreFailure("cannot prune the run log of " + integration + " in " + directory + ": "
                        + e.getMessage(), e);
            }
        }
        return new RunLogRetention.Pruned(runs, rows);
    }

    /** The directory holding the log. */
    public Path directory() {
        return directory;
    }

    @Override
    public String toString() {
        return "FileRunLog{" + directory + "}";
    }

    private List<String> integrations() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(directory, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (SAFE_NAME.matcher(name).matches()) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return names;
        } catch (IOException e) {
            throw new OpsException.StoreFailure("cannot list " + directory + ": " + e.getMessage(), e);
        }
        return names;
    }

    /** Reads under the lock, so a reader never sees an append half-written. */
    private <T> T underLock(String integration, LockedFiles.Work<T> read) {
        try {
            if (!Files.isDirectory(lockFile(integration).getParent())) {
                return read.run(); // nothing recorded: no lock file to create
            }
            return LockedFiles.locked(lockFile(integration), read);
        } catch (IOException e) {
            throw new OpsException.StoreFailure("cannot read the run log of " + integration + " in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    private Map<String, RunRecord> readRuns(String integration) {
        Map<String, RunRecord> runs = new LinkedHashMap<>();
        readLines(integration, RUNS, node -> {
            RunRecord run = OpsJson.run(node);
            runs.put(run.runId(), run);
        });
        return runs;
    }

    private Map<FailedRow.Key, FailedRow> readFailed(String integration) {
        Map<FailedRow.Key, FailedRow> rows = new LinkedHashMap<>();
        readLines(integration, FAILED, node -> {
            if (node.path("op").asText().equals("remove")) {
                String updatedAt = node.hasNonNull("updatedAt") ? node.get("updatedAt").asText() : null;
                rows.remove(new FailedRow.Key(node.path("rowKey").asText(), updatedAt == null ? null : Instant.parse(updatedAt)));
            } else {
                FailedRow row = OpsJson.failedRow(node.path("row"));
                rows.put(row.key(), row);
            }
        });
        return rows;
    }

    private void readLines(String integration, String name, Consumer<JsonNode> consumer) {
        Path file = file(integration, name);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    consumer.accept(OpsJson.parse(line));
                } catch (RuntimeException e) {
                    // A line torn by a crash mid-append: what it held was not acknowledged, so skipping it loses nothing.
                    log.warn("run log {}: line {} is not a complete record ({}); skipped", file, number, e.getClass().getSimpleName());
                }
            }
        } catch (NoSuchFileException e) {
            // nothing recorded yet
        } catch (IOException e) {
            throw new OpsException.StoreFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void appendLines(String integration, String name, List<? extends JsonNode> lines) {
        StringBuilder text = new StringBuilder();
        for (JsonNode line : lines) {
            text.append(OpsJson.text(line)).append('\n');
        }
        Path file = file(integration, name);
        try {
            LockedFiles.locked(lockFile(integration), () -> {
                LockedFiles.append(file, text.toString().getBytes(StandardCharsets.UTF_8));
                return null;
            });
        } catch (IOException e) {
            throw new OpsException.StoreFailure("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void rewrite(Path file, List<? extends JsonNode> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (JsonNode line : lines) {
            text.append(OpsJson.text(line)).append('\n');
        }
        LockedFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Path lockFile(String integration) {
        return file(integration, ".lock");
    }

    private Path file(String integration, String name) {
        Objects.requireNonNull(integration, "integration");
        if (!SAFE_NAME.matcher(integration).matches()) {
            throw new IllegalArgumentException("integration '" + integration + "' is not a safe file name");
        }
        return directory.resolve(integration).resolve(name);
    }
}
