package io.cdisync.core.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.ops.internal.OpsJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Exports failed rows, as Braze's "export errors": CSV (RFC 4180: a header line, fields with a comma,
 * quote, CR or LF in double quotes with inner quotes doubled, lines ending CRLF) or JSON lines (one
 * object per line, UTF-8 text). Columns: {@code integration, row_key, updated_at, identifier, kind,
 * reason, run_id, recorded_at, attempts}. Never the row's payload or columns, even when kept for retries.
 *
 * <pre>{@code
 * try (Writer out = Files.newBufferedWriter(Path.of("errors.csv"))) {
 *     FailedRowExport.csv(runLog, "users-attributes", out);
 * }
 * }</pre>
 */
public final class FailedRowExport {
    /** The CSV header columns, in order. */
    public static final List<String> COLUMNS = List.of("integration", "row_key", "updated_at", "identifier", "kind", "reason",
            "run_id", "recorded_at", "attempts");

    private FailedRowExport() {
    }

    /**
     * Writes the failed rows of {@code integration} as CSV, streaming them from the log.
     *
     * @return rows written
     */
    public static long csv(RunLog log, String integration, Writer out) throws IOException {
        Objects.requireNonNull(out, "out");
        writeCsvLine(out, COLUMNS);
        return each(log, integration, row -> writeCsvLine(out, fields(row)));
    }

    /**
     * Writes the failed rows of {@code integration} as JSON lines, streaming them from the log.
     *
     * @return rows written
     */
    public static long jsonLines(RunLog log, String integration, Writer out) throws IOException {
        Objects.requireNonNull(out, "out");
        return each(log, integration, row -> {
            ObjectNode node = OpsJson.JSON.createObjectNode();
            List<String> fields = fields(row);
            for (int i = 0; i < COLUMNS.size(); i++) {
                if (COLUMNS.get(i).equals("attempts")) {
                    node.put("attempts", row.attempts());
                } else {
                    node.put(COLUMNS.get(i), fields.get(i).isEmpty() && nullable(COLUMNS.get(i)) ? null : fields.get(i));
                }
            }
            out.write(OpsJson.text(node));
            out.write('\n');
        });
    }

    /** One CSV field, quoted when RFC 4180 requires it. */
    public static String csvField(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private interface RowWriter {
        void write(FailedRow row) throws IOException;
    }

    private static long each(RunLog log, String integration, RowWriter writer) throws IOException {
        long[] count = new long[1];
        try {
            log.forEachFailedRow(integration, row -> {
                try {
                    writer.write(row);
                    count[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return count[0];
    }

    private static void writeCsvLine(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(csvField(fields.get(i)));
        }
        out.write("\r\n");
    }

    private static List<String> fields(FailedRow row) {
        return List.of(row.integration(), row.rowKey(), text(row.updatedAt()), row.identifier() == null ? "" : row.identifier(),
                row.kind().name(), row.reason(), row.runId(), text(row.recordedAt()), Integer.toString(row.attempts()));
    }

    private static boolean nullable(String column) {
        return column.equals("updated_at") || column.equals("identifier");
    }

    private static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
