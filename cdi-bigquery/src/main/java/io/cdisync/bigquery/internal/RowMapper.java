package io.cdisync.bigquery.internal;

import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a result row into a {@link SourceRow}. Cells come in the order of the query's SELECT list (the
 * {@code selected} columns). BigQuery's REST API sends every scalar as a string: TIMESTAMP as epoch
 * microseconds (we ask for {@code useInt64Timestamp}), as float seconds (the API's default) or as text;
 * JSON as its text; BOOL as {@code "true"}/{@code "false"}.
 */
public final class RowMapper {
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL_SECONDS = Pattern.compile("-?\\d+(\\.\\d*)?([eE][-+]?\\d+)?");
    // "2026-01-01 10:00:00.123456 UTC", "2026-01-01T10:00:00Z", "2026-01-01 10:00:00+00:00": text forms BigQuery uses.
    private static final DateTimeFormatter TEXT = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("yyyy-MM-dd").optionalStart().appendLiteral('T').optionalEnd().optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral("UTC").parseDefaulting(ChronoField.OFFSET_SECONDS, 0).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter();

    private final List<TableColumns.Present> selected;

    public RowMapper(List<TableColumns.Present> selected) {
        this.selected = List.copyOf(selected);
    }

    /**
     * Maps one row.
     *
     * @throws CdiException.ConfigurationError when a cell cannot be read as its column's type (names the column, not the value)
     */
    public SourceRow map(FieldValueList row) {
        SourceRow.Builder out = SourceRow.builder();
        for (int i = 0; i < selected.size(); i++) {
            TableColumns.Present column = selected.get(i);
            FieldValue cell = row.get(i);
            if (cell == null || cell.isNull()) {
                continue;
            }
            try {
                switch (column.column()) {
                    case UPDATED_AT -> out.updatedAt(timestamp(cell));
                    case EXTERNAL_ID -> out.externalId(cell.getStringValue());
                    case ALIAS_NAME -> out.aliasName(cell.getStringValue());
                    case ALIAS_LABEL -> out.aliasLabel(cell.getStringValue());
                    case BRAZE_ID -> out.brazeId(cell.getStringValue());
                    case EMAIL -> out.email(cell.getStringValue());
                    case PHONE -> out.phone(cell.getStringValue());
                    case ID -> out.id(cell.getStringValue());
                    case DELETED -> out.deleted(cell.getBooleanValue());
                    case PAYLOAD -> out.payload(cell.getStringValue());
                    default -> throw new IllegalStateException("unmapped column " + column.column());
                }
            } catch (RuntimeException e) {
                // The value may be personal data: the message names the column and type only.
                throw new CdiException.ConfigurationError("BigQuery returned a " + column.column() + " value that is not a valid "
                        + column.type() + " (column " + column.fieldName() + ")", null);
            }
        }
        return out.build();
    }

    /** A TIMESTAMP cell as a UTC instant, whichever of BigQuery's encodings the client passed on. */
    static Instant timestamp(FieldValue cell) {
        String text = cell.getStringValue().strip();
        if (Boolean.TRUE.equals(cell.getUseInt64Timestamps()) && INTEGER.matcher(text).matches()) {
            return Instant.EPOCH.plus(Long.parseLong(text), ChronoUnit.MICROS);
        }
        if (DECIMAL_SECONDS.matcher(text).matches()) {
            long micros = new BigDecimal(text).movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
            return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        }
        try {
            return OffsetDateTime.parse(text, TEXT).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a timestamp");
        }
    }
}
