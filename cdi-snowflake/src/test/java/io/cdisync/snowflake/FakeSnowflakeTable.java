package io.cdisync.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table of {@link FakeSnowflake}: its columns with Snowflake types, its rows, and the two kinds of
 * statements the source sends about it, answered as Snowflake's JSON result format does:
 * {@code SHOW COLUMNS} rows (the driver's {@code getColumns} reads them by position) and the incremental
 * {@code SELECT}, whose WHERE clause is evaluated against the bound parameters.
 */
final class FakeSnowflakeTable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONDITION = Pattern.compile("\"((?:[^\"]|\"\")+)\" (>=|<=) \\?");

    final String database;
    final String schema;
    final String name;
    final Map<String, String> columns = new LinkedHashMap<>();
    final List<Map<String, Object>> rows = new ArrayList<>();
    private ZoneOffset tzOffset = ZoneOffset.UTC;

    FakeSnowflakeTable(String database, String schema, String name) {
        this.database = database;
        this.schema = schema;
        this.name = name;
    }

    /** Adds a column: TIMESTAMP_NTZ, TIMESTAMP_TZ, TIMESTAMP_LTZ, TEXT, VARIANT or BOOLEAN. */
    FakeSnowflakeTable column(String column, String type) {
        columns.put(column, type);
        return this;
    }

    /** The offset TIMESTAMP_TZ values are rendered in (Snowflake keeps each value's offset). */
    FakeSnowflakeTable tzOffset(ZoneOffset offset) {
        this.tzOffset = offset;
        return this;
    }

    /** Adds a row: column name to value (an {@link Instant} for timestamps, text otherwise). */
    FakeSnowflakeTable insert(Map<String, Object> row) {
        rows.add(new LinkedHashMap<>(row));
        return this;
    }

    /** The rows of {@code SHOW COLUMNS}: table_name, schema_name, column_name, data_type (JSON), null?, default, kind, ... */
    List<List<String>> showColumnRows() {
        List<List<String>> out = new ArrayList<>();
        columns.forEach((column, type) -> out.add(java.util.Arrays.asList(name, schema, column, dataTypeJson(type), "true", "",
                "COLUMN", "", "", database, "")));
        return out;
    }

    /** The rowtype of a result of text columns. */
    static ArrayNode rowType(String... names) {
        ArrayNode rowType = JSON.createArrayNode();
        for (String column : names) {
            rowType.add(rowTypeEntry(column, "TEXT"));
        }
        return rowType;
    }

    /**
     * Answers {@code SELECT <cols> FROM <this> WHERE ...}: the conditions on UPDATED_AT with their bound
     * values (TIMESTAMP_NTZ/LTZ bindings are epoch nanoseconds), ordered by UPDATED_AT.
     */
    ObjectNode select(List<String> selected, String where, JsonNode bindings) {
        List<Map<String, Object>> matching = new ArrayList<>();
        String updatedAt = null;
        List<Instant> lower = new ArrayList<>();
        List<Instant> upper = new ArrayList<>();
        if (!where.strip().equals("1=0")) {
            Matcher m = CONDITION.matcher(where);
            int parameter = 1;
            while (m.find()) {
                updatedAt = m.group(1).replace("\"\"", "\"");
                Instant bound = epochNanos(bindings.path(Integer.toString(parameter++)).path("value").asText());
                (m.group(2).equals(">=") ? lower : upper).add(bound);
            }
            for (Map<String, Object> row : rows) {
                Instant value = (Instant) row.get(updatedAt);
                if (value != null && lower.stream().allMatch(b -> !value.isBefore(b)) && upper.stream().allMatch(b -> !value.isAfter(b))) {
                    matching.add(row);
                }
            }
            String key = updatedAt;
            matching.sort(Comparator.comparing(r -> (Instant) r.get(key)));
        }
        ArrayNode rowType = JSON.createArrayNode();
        for (String column : selected) {
            rowType.add(rowTypeEntry(column, type(column)));
        }
        ArrayNode rowSet = JSON.createArrayNode();
        for (Map<String, Object> row : matching) {
            ArrayNode values = rowSet.addArray();
            for (String column : selected) {
                values.add(render(type(column), row.get(column)));
            }
        }
        ObjectNode data = JSON.createObjectNode();
        data.set("rowtype", rowType);
        data.set("rowset", rowSet);
        return data;
    }

    private String type(String column) {
        String type = columns.get(column);
        if (type == null) {
            throw new FakeSnowflake.SqlError("000904", "42000", "SQL compilation error: error line 1 at position 7\ninvalid identifier '\""
                    + column + "\"'");
        }
        return type;
    }

    private String render(String type, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Instant instant)) {
            return value.toString();
        }
        String seconds = new BigDecimal(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9)).setScale(9).toPlainString();
        return switch (type) {
            // TIMESTAMP_TZ: epoch seconds, then the value's offset in minutes plus 1440.
            case "TIMESTAMP_TZ" -> seconds + " " + (tzOffset.getTotalSeconds() / 60 + 1440);
            default -> seconds;
        };
    }

    private static Instant epochNanos(String value) {
        BigDecimal nanos = new BigDecimal(value);
        BigDecimal[] parts = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        return Instant.ofEpochSecond(parts[0].longValueExact(), parts[1].longValueExact());
    }

    static ObjectNode rowTypeEntry(String column, String type) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("name", column);
        entry.put("database", "");
        entry.put("schema", "");
        entry.put("table", "");
        entry.put("type", switch (type) {
            case "TEXT", "VARCHAR" -> "text";
            default -> type.toLowerCase(Locale.ROOT);
        });
        entry.put("nullable", true);
        entry.put("precision", type.startsWith("TIMESTAMP") ? 0 : null);
        entry.put("scale", type.startsWith("TIMESTAMP") ? 9 : null);
        entry.put("length", type.equals("TEXT") || type.equals("VARIANT") ? 16_777_216 : null);
        entry.put("byteLength", type.equals("TEXT") || type.equals("VARIANT") ? 16_777_216 : null);
        entry.putNull("collation");
        return entry;
    }

    private static String dataTypeJson(String type) {
        ObjectNode json = JSON.createObjectNode();
        json.put("type", type.equals("VARCHAR") ? "TEXT" : type);
        if (type.startsWith("TIMESTAMP")) {
            json.put("precision", 0);
            json.put("scale", 9);
        } else if (type.equals("TEXT")) {
            json.put("length", 16_777_216);
            json.put("byteLength", 16_777_216);
            json.put("fixed", false);
        }
        json.put("nullable", true);
        return json.toString();
    }
}
