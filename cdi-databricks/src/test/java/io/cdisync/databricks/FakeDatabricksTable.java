package io.cdisync.databricks;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table of {@link FakeDatabricks}: columns with Databricks type texts ({@code TIMESTAMP}, {@code STRING},
 * {@code STRUCT<tier: STRING>}, {@code MAP<STRING, STRING>}...), rows, and the answers the driver needs:
 * {@code SHOW COLUMNS} rows and the incremental SELECT evaluated against its bound parameters.
 */
final class FakeDatabricksTable {
    private static final Pattern CONDITION = Pattern.compile("`((?:[^`]|``)+)` (>=|<=) \\?");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    final String catalog;
    final String schema;
    final String name;
    final Map<String, String> columns = new LinkedHashMap<>();
    final List<Map<String, Object>> rows = new ArrayList<>();

    FakeDatabricksTable(String catalog, String schema, String name) {
        this.catalog = catalog;
        this.schema = schema;
        this.name = name;
    }

    FakeDatabricksTable column(String column, String typeText) {
        columns.put(column, typeText);
        return this;
    }

    /** A row: an {@link Instant} for timestamps; JSON text for STRUCT, MAP and STRING payloads (as the server renders them). */
    FakeDatabricksTable insert(Map<String, Object> row) {
        rows.add(new LinkedHashMap<>(row));
        return this;
    }

    /** The columns of {@code SHOW COLUMNS} as the driver reads them (by name). */
    static List<String> showColumnsHeader() {
        return List.of("col_name", "catalogName", "namespace", "tableName", "columnType", "columnSize", "decimalDigits", "radix",
                "isNullable", "remarks", "ordinalPosition", "isAutoIncrement", "isGenerated");
    }

    List<List<String>> showColumnRows() {
        List<List<String>> out = new ArrayList<>();
        int position = 0;
        for (Map.Entry<String, String> column : columns.entrySet()) {
            out.add(java.util.Arrays.asList(column.getKey(), catalog, schema, name, column.getValue(), null, null, null, "true", "",
                    Integer.toString(position++), "NO", "NO"));
        }
        return out;
    }

    /** The type texts of {@code selected}. */
    List<String> types(List<String> selected) {
        List<String> types = new ArrayList<>();
        for (String column : selected) {
            String type = columns.get(column);
            if (type == null) {
                throw new FakeDatabricks.SqlError("42703", "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column with name `" + column
                        + "` cannot be resolved.");
            }
            types.add(type);
        }
        return types;
    }

    /** Answers the incremental SELECT: rows within the bound parameters (ISO-8601 strings), by UPDATED_AT. */
    List<List<String>> select(List<String> selected, String where, List<String> parameters) {
        List<List<String>> out = new ArrayList<>();
        if (where.strip().equals("1=0")) {
            return out;
        }
        Matcher m = CONDITION.matcher(where);
        List<Map<String, Object>> matching = new ArrayList<>(rows);
        String updatedAt = null;
        int parameter = 0;
        while (m.find()) {
            updatedAt = m.group(1).replace("``", "`");
            Instant bound = parse(parameters.get(parameter++));
            String column = updatedAt;
            boolean lower = m.group(2).equals(">=");
            matching.removeIf(r -> r.get(column) == null
                    || (lower ? ((Instant) r.get(column)).isBefore(bound) : ((Instant) r.get(column)).isAfter(bound)));
        }
        String key = updatedAt;
        matching.sort(Comparator.comparing(r -> (Instant) r.get(key)));
        List<String> types = types(selected);
        for (Map<String, Object> row : matching) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < selected.size(); i++) {
                Object value = row.get(selected.get(i));
                values.add(value instanceof Instant instant ? MICROS.format(instant) + (types.get(i).equals("TIMESTAMP_NTZ") ? "" : "Z")
                        : value == null ? null : value.toString());
            }
            out.add(values);
        }
        return out;
    }

    /** The server's reading of a bound string: with a zone, an instant; without, a UTC wall time (session zone UTC). */
    static Instant parse(String value) {
        return value.endsWith("Z") ? Instant.parse(value) : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    }
}
