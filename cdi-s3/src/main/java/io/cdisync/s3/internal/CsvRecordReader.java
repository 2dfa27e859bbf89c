package io.cdisync.s3.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.cdisync.core.spi.SourceRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV with a header row (RFC 4180: quoted fields may hold commas, quotes and newlines), streaming each
 * record as an array of strings from Jackson's CSV parser.
 *
 * <p>The header names the columns; a record with a different number of values is unreadable. Blank lines are
 * skipped. A malformed quote leaves the parser unable to find where the next record starts, so the reader reports
 * that record as unreadable, says the rest of the file was not read, and ends.
 */
public final class CsvRecordReader implements RecordReader {
    private final String fileKey;
    private final Instant fileTime;
    private final CsvParser parser;
    private final List<String> header;
    private final Column[] columns;
    private final RecordFields fields = new RecordFields();
    private final int maxValueChars;
    private boolean ended;

    CsvRecordReader(String fileKey, InputStream in, Instant fileTime, int maxRecordBytes) throws IOException {
        this.fileKey = fileKey;
        this.fileTime = fileTime;
        this.maxValueChars = maxRecordBytes;
        CsvFactory factory = CsvFactory.builder()
                .enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                // No single value may hold more than a record may: bounds memory on a runaway quoted field.
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(maxRecordBytes).build())
                .build();
        Reader reader = new InputStreamReader(Boms.skipUtf8Bom(in), StandardCharsets.UTF_8);
        this.parser = factory.createParser(reader);
        List<String> names = new ArrayList<>();
        try {
            if (parser.nextToken() == JsonToken.START_ARRAY && parser.nextToken() == JsonToken.START_ARRAY) {
                for (JsonToken t = parser.nextToken(); t == JsonToken.VALUE_STRING; t = parser.nextToken()) {
                    names.add(parser.getText().trim());
                }
            } else {
                ended = true;
            }
        } catch (JsonProcessingException e) {
            parser.close();
            throw new UnreadableFileException(fileKey + ": the CSV header on line 1 is not valid CSV: " + ParserMessages.reason(e), e);
        }
        this.header = List.copyOf(names);
        this.columns = new Column[header.size()];
        boolean[] seen = new boolean[Column.values().length];
        for (int i = 0; i < columns.length; i++) {
            Column column = Column.of(header.get(i));
            // The first of two columns with one name (in any case) wins.
            if (column != null && !seen[column.ordinal()]) {
                seen[column.ordinal()] = true;
                columns[i] = column;
            }
        }
    }

    /** The header's column names as the file spells them (trimmed), in order; empty for an empty file. */
    public List<String> header() {
        return header;
    }

    @Override
    public SourceRow next() throws IOException {
        if (ended) {
            return null;
        }
        long line = -1;
        try {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_ARRAY) {
                ended = true;
                return null;
            }
            line = parser.currentLocation().getLineNr();
            fields.reset();
            int count = 0;
            for (token = parser.nextToken(); token == JsonToken.VALUE_STRING; token = parser.nextToken()) {
                if (count < columns.length && columns[count] != null) {
                    fields.text(columns[count], parser.getText());
                }
                count++;
            }
            String rowKey = fileKey + ":" + line;
            if (count != columns.length) {
                return SourceRow.unreadable(rowKey, "line " + line + " has " + count + (count == 1 ? " value" : " values")
                        + "; the header has " + columns.length + (columns.length == 1 ? " column" : " columns"));
            }
            return fields.toRow(rowKey, fileTime);
        } catch (JsonProcessingException e) {
            ended = true;
            if (line < 0) {
                line = Math.max(1, parser.currentLocation().getLineNr());
            }
            String problem = e instanceof StreamConstraintsException
                    ? "has a value longer than " + maxValueChars + " characters"
                    : "is not valid CSV: " + ParserMessages.reason(e);
            return SourceRow.unreadable(fileKey + ":" + line, "line " + line + " " + problem + "; the rest of the file was not read");
        }
    }

    @Override
    public void close() throws IOException {
        ended = true;
        parser.close();
    }
}
