package io.cdisync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdisync.core.SyncReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code <sync>.runs.jsonl} in the state directory: one {@code --json} report per line, appended by {@code sync}
 * and read back by {@code status} as the last run. Absent when the state is not kept in files.
 */
final class RunHistory {
    private RunHistory() {
    }

    /** Appends the report; a failure to write is a warning, not a failed run (the rows were delivered). */
    static void append(SyncSetup setup, SyncReport report, PrintStream err) {
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

    /** The last run's report, or null when none was recorded. */
    static JsonNode last(SyncSetup setup) {
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
}
