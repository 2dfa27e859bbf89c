package io.cdisync.s3.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.cdisync.core.spi.SourceRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Reads newline-delimited JSON: each non-blank line is one record, a JSON object whose keys name the columns.
 *
 * <p>Lines are parsed with Jackson's streaming parser straight from the line's UTF-8 bytes. A PAYLOAD object is
 * passed on as the exact text it has in the line, sliced by the parser's byte offsets, never re-serialized: this
 * is the hot path of a file sync. Blank lines are not records.
 */
public final class NdjsonRecordReader implements RecordReader {
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private final String fileKey;
    private final InputStream in;
    private final LineSource lines;
    private final Instant fileTime;
    private final RecordFields fields = new RecordFields();

    NdjsonRecordReader(String fileKey, InputStream in, Instant fileTime, int maxRecordBytes) {
        this.fileKey = fileKey;
        this.in = in;
        this.lines = new LineSource(in, maxRecordBytes);
        this.fileTime = fileTime;
    }

    @Override
    public SourceRow next() throws IOException {
        while (true) {
            int status = lines.next();
            if (status == LineSource.END) {
                return null;
            }
            String rowKey = fileKey + ":" + lines.lineNumber();
            if (status == LineSource.TOO_LONG) {
                return SourceRow.unreadable(rowKey,
                        "line " + lines.lineNumber() + " is longer than " + lines.maxLineBytes() + " bytes");
            }
            if (!lines.isBlank()) {
                return parse(rowKey);
            }
        }
    }

    /** Counts non-blank lines without parsing them: the same records {@link #next()} would return. */
    @Override
    public long skip(long records) throws IOException {
        if (records < 0) {
            throw new IllegalArgumentException("records must be >= 0, was " + records);
        }
        long skipped = 0;
        while (skipped < records) {
            int status = lines.next();
            if (status == LineSource.END) {
                break;
            }
            if (status == LineSource.TOO_LONG || !lines.isBlank()) {
                skipped++;
            }
        }
        return skipped;
    }

    private SourceRow parse(String rowKey) throws IOException {
        fields.reset();
        byte[] bytes = lines.buffer();
        int offset = lines.start();
        try (JsonParser parser = JSON.createParser(bytes, offset, lines.length())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return SourceRow.unreadable(rowKey, "line " + lines.lineNumber() + " is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                Column column = Column.of(parser.currentName());
                JsonToken value = parser.nextToken();
                if (column == null || fields.failed()) {
                    parser.skipChildren();
                } else if (column == Column.PAYLOAD && (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)) {
                    // Offsets are relative to the parser's start offset.
                    int from = offset + (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    int to = offset + (int) parser.currentLocation().getByteOffset();
                    fields.payload(new String(bytes, from, to - from, StandardCharsets.UTF_8));
                } else {
                    scalar(column, value, parser);
                }
            }
            if (token != JsonToken.END_OBJECT) {
                // Unreachable with a conforming parser (it throws first), but never build a half-read record.
                return SourceRow.unreadable(rowKey, "line " + lines.lineNumber() + " is not a JSON object");
            }
            if (parser.nextToken() != null) {
                return SourceRow.unreadable(rowKey, "line " + lines.lineNumber() + " has more after its JSON object");
            }
        } catch (JsonProcessingException e) {
            return SourceRow.unreadable(rowKey, "line " + lines.lineNumber() + " is not valid JSON: " + ParserMessages.reason(e));
        }
        return fields.toRow(rowKey, fileTime);
    }

    private void scalar(Column column, JsonToken value, JsonParser parser) throws IOException {
        switch (value) {
            case VALUE_NULL -> {
            }
            case VALUE_STRING -> fields.text(column, parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> {
                if (column == Column.DELETED) {
                    fields.deleted(value == JsonToken.VALUE_TRUE);
                } else {
                    fields.text(column, parser.getText());
                }
            }
            // Numbers keep the text they were written with (an external_id of 12345678901234567890 stays exact).
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> fields.text(column, parser.getText());
            default -> {
                parser.skipChildren();
                fields.fail(column + " is a JSON " + (value == JsonToken.START_ARRAY ? "array" : "object")
                        + ", not a single value");
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
