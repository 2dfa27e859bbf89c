package io.cdisync.s3.internal;

import io.cdisync.core.spi.SourceRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Opens readers over in-memory file content and drains them, for the reader tests. */
final class TestFiles {
    static final Instant FILE_TIME = Instant.parse("2024-06-01T08:00:00Z");

    private TestFiles() {
    }

    static RecordReader ndjson(String content) throws IOException {
        return ndjson(content, RecordReaders.DEFAULT_MAX_RECORD_BYTES);
    }

    static RecordReader ndjson(String content, int maxRecordBytes) throws IOException {
        return open(FileFormat.NDJSON, "in/users.json", content.getBytes(StandardCharsets.UTF_8), maxRecordBytes);
    }

    static CsvRecordReader csv(String content) throws IOException {
        return (CsvRecordReader) open(FileFormat.CSV, "in/users.csv", content.getBytes(StandardCharsets.UTF_8),
                RecordReaders.DEFAULT_MAX_RECORD_BYTES);
    }

    static RecordReader open(FileFormat format, String key, byte[] content, int maxRecordBytes) throws IOException {
        return RecordReaders.open(format, key, new ByteArrayInputStream(content), FILE_TIME, maxRecordBytes);
    }

    /** Every remaining row of {@code reader}, which is closed. */
    static List<SourceRow> readAll(RecordReader reader) throws IOException {
        try (reader) {
            List<SourceRow> rows = new ArrayList<>();
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
            return rows;
        }
    }

    /** The reason of an unreadable row. */
    static String reason(SourceRow row) {
        return ((SourceRow.Unreadable) row.payload()).reason();
    }
}
