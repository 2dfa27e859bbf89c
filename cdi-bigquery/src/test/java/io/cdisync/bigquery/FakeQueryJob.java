package io.cdisync.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.bigquery.FakeBigQuery.Column;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A finished query job of {@link FakeBigQuery}: the rows its SELECT list and {@code @since}/{@code @until}/{@code @limit}
 * parameters pick from the table, in UPDATED_AT order (descending when the SQL says {@code DESC}), and
 * the API's JSON for a page of them.
 *
 * @param destination {@code project/dataset/table} of its anonymous result table
 * @param int64       whether TIMESTAMP cells go out as int64 microseconds (asked by {@code useInt64Timestamp})
 */
record FakeQueryJob(String id, String destination, List<Column> columns, List<List<Object>> rows, ObjectNode configuration,
        boolean int64) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SELECT = Pattern.compile("SELECT (.+?) FROM ", Pattern.DOTALL);
    private static final DateTimeFormatter PARAMETER = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]xxx", Locale.ROOT);

    /** Runs {@code sql} over the table's rows. */
    static FakeQueryJob run(String project, String id, String sql, JsonNode parameters, boolean int64, List<Column> tableColumns,
            List<Map<String, Object>> tableRows) {
        Matcher select = SELECT.matcher(sql);
        if (!select.find()) {
            throw new IllegalStateException("not a SELECT: " + sql);
        }
        List<Column> selected = new ArrayList<>();
        for (String name : select.group(1).split(",")) {
            String bare = name.strip().replace("`", "");
            selected.add(tableColumns.stream().filter(c -> c.name().equalsIgnoreCase(bare)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the query selects " + bare + ", not in the table")));
        }
        String updatedAt = tableColumns.stream().filter(c -> c.name().equalsIgnoreCase("UPDATED_AT")).findFirst().orElseThrow().name();
        Instant since = timestampParameter(parameters, "since");
        Instant until = timestampParameter(parameters, "until");
        List<Map<String, Object>> matching = new ArrayList<>(tableRows.stream().filter(row -> {
            Instant at = (Instant) row.get(updatedAt);
            return at != null && (since == null || !at.isBefore(since)) && (until == null || !at.isAfter(until));
        }).sorted((a, b) -> ((Instant) a.get(updatedAt)).compareTo((Instant) b.get(updatedAt))).toList());
        if (sql.contains(" DESC")) {
            Collections.reverse(matching);
        }
        for (JsonNode p : parameters) {
            if (p.path("name").asText().equals("limit")) {
                matching = matching.subList(0, (int) Math.min(matching.size(), p.path("parameterValue").path("value").asLong()));
            }
        }
        List<List<Object>> projected = matching.stream().map(row -> selected.stream().map(c -> row.get(c.name())).toList()).toList();
        ObjectNode configuration = JSON.createObjectNode().put("jobType", "QUERY");
        ObjectNode query = configuration.putObject("query").put("query", sql).put("useLegacySql", false);
        query.putObject("destinationTable").put("projectId", project).put("datasetId", "_anon_dataset").put("tableId", "anon_" + id);
        return new FakeQueryJob(id, project + "/_anon_dataset/anon_" + id, selected, projected, configuration, int64);
    }

    /** The same job, its timestamps encoded as a {@code tabledata.list} call asked. */
    FakeQueryJob encodedAs(boolean int64Timestamps) {
        return new FakeQueryJob(id, destination, columns, rows, configuration, int64Timestamps);
    }

    /** Adds schema, totalRows, the rows {@code offset..offset+max} and a pageToken when more follow. */
    ObjectNode page(ObjectNode response, long offset, long max) {
        response.set("schema", schema(columns));
        response.put("totalRows", String.valueOf(rows.size()));
        ArrayNode out = response.putArray("rows");
        long end = Math.min(rows.size(), offset + max);
        for (long i = offset; i < end; i++) {
            ArrayNode cells = out.addObject().putArray("f");
            for (Object value : rows.get((int) i)) {
                cells.addObject().put("v", cell(value, int64));
            }
        }
        if (end < rows.size()) {
            response.put("pageToken", "token-" + end);
        }
        return response;
    }

    static ObjectNode schema(List<Column> columns) {
        ObjectNode schema = JSON.createObjectNode();
        ArrayNode fields = schema.putArray("fields");
        columns.forEach(c -> fields.addObject().put("name", c.name()).put("type", c.type()).put("mode", "NULLABLE"));
        return schema;
    }

    private static String cell(Object value, boolean int64) {
        if (value instanceof Instant at) {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
            // BigQuery's default encoding is float seconds ("1.767225600123456E9"); int64 micros when asked.
            return int64 ? Long.toString(micros) : new BigDecimal(micros).movePointLeft(15).stripTrailingZeros().toPlainString() + "E9";
        }
        return value == null ? null : value.toString();
    }

    private static Instant timestampParameter(JsonNode parameters, String name) {
        for (JsonNode p : parameters) {
            if (p.path("name").asText().equals(name)) {
                return Instant.from(PARAMETER.parse(p.path("parameterValue").path("value").asText()));
            }
        }
        return null;
    }
}
