package io.cdisync.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stub of the Databricks SQL Statement Execution API as the JDBC driver uses it in REST mode
 * ({@code UseThriftClient=0}, inline {@code JSON_ARRAY} results): {@code POST /api/2.0/sql/warehouses/{id}/sessions},
 * {@code POST /api/2.0/sql/statements/}, {@code DELETE /api/2.0/sql/statements/{id}} and
 * {@code DELETE /api/2.0/sql/sessions/{id}}. Checks the bearer token (401 otherwise) and can play a starting
 * warehouse (503 {@code TEMPORARILY_UNAVAILABLE}) until a given time of a test's clock. Records every request.
 */
final class FakeDatabricks implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "dapi0123456789abcdef-secret";
    private static final Pattern SESSIONS = Pattern.compile("/api/2\\.0/sql/warehouses/([^/]+)/sessions/?");
    private static final Pattern SHOW_COLUMNS = Pattern.compile(
            "SHOW COLUMNS IN (?:CATALOG `((?:[^`]|``)+)`|ALL CATALOGS) SCHEMA LIKE '([^']*)' TABLE LIKE '([^']*)'.*", Pattern.DOTALL);
    private static final Pattern SELECT = Pattern.compile("(?s)SELECT (.+) FROM (\\S+) WHERE (.+?)(?: ORDER BY .*)?");
    private static final Pattern QUOTED = Pattern.compile("`((?:[^`]|``)+)`");

    /** A request as received: method, path, body (JSON or null). */
    record Request(String method, String path, JsonNode body) {
    }

    /** A failed statement, answered with status FAILED. */
    static final class SqlError extends RuntimeException {
        final String sqlState;

        SqlError(String sqlState, String message) {
            super(message);
            this.sqlState = sqlState;
        }
    }

    private final HttpServer server;
    private final List<FakeDatabricksTable> tables = Collections.synchronizedList(new ArrayList<>());
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Clock clock = Clock.systemUTC();
    private volatile Instant readyAt = Instant.MIN;

    private FakeDatabricks() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeDatabricks start() {
        try {
            return new FakeDatabricks();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeDatabricksTable table(String catalog, String schema, String name) {
        FakeDatabricksTable table = new FakeDatabricksTable(catalog, schema, name);
        tables.add(table);
        return table;
    }

    /** The warehouse answers 503 "starting" to new sessions until {@code clock} reaches {@code readyAt}. */
    FakeDatabricks startingUntil(Clock clock, Instant readyAt) {
        this.clock = clock;
        this.readyAt = readyAt;
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String pathPrefix) {
        return requests().stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    /** The statements executed, in order. */
    List<JsonNode> statements() {
        return requests("POST", "/api/2.0/sql/statements").stream().map(Request::body).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            JsonNode body = bytes.length == 0 ? null : JSON.readTree(bytes);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(method, path, body));
            boolean api = path.startsWith("/api/");
            if (api && !("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, error("UNAUTHENTICATED", "Invalid access token."));
                return;
            }
            Matcher session = SESSIONS.matcher(path);
            if (method.equals("POST") && session.matches()) {
                if (clock.instant().isBefore(readyAt)) {
                    // Retry-After: 0 keeps the SDK's own retries inside one driver call instant in tests.
                    exchange.getResponseHeaders().add("Retry-After", "0");
                    respond(exchange, 503, error("TEMPORARILY_UNAVAILABLE", "The SQL warehouse " + session.group(1)
                            + " is starting. Please retry."));
                    return;
                }
                respond(exchange, 200, JSON.createObjectNode().put("session_id", "session-" + ids.incrementAndGet()));
            } else if (method.equals("POST") && path.startsWith("/api/2.0/sql/statements")) {
                respond(exchange, 200, statement(body));
            } else {
                respond(exchange, 200, JSON.createObjectNode());
            }
        }
    }

    private ObjectNode statement(JsonNode body) {
        String sql = body.path("statement").asText();
        List<String> parameters = new ArrayList<>();
        body.path("parameters").forEach(p -> parameters.add(p.path("value").asText()));
        try {
            if (sql.startsWith("SELECT CURRENT_CATALOG()")) {
                return result(List.of("current_catalog()", "current_schema()"), List.of("STRING", "STRING"),
                        List.of(List.of("main", "default")));
            }
            Matcher m;
            if ((m = SHOW_COLUMNS.matcher(sql)).matches()) {
                List<List<String>> rows = new ArrayList<>();
                for (FakeDatabricksTable table : List.copyOf(tables)) {
                    if ((m.group(1) == null || m.group(1).replace("``", "`").equals(table.catalog)) && like(m.group(2), table.schema)
                            && like(m.group(3), table.name)) {
                        rows.addAll(table.showColumnRows());
                    }
                }
                List<String> header = FakeDatabricksTable.showColumnsHeader();
                return result(header, Collections.nCopies(header.size(), "STRING"), rows);
            }
            if ((m = SELECT.matcher(sql)).matches()) {
                List<String> name = names(m.group(2));
                String from = m.group(2);
                FakeDatabricksTable table = List.copyOf(tables).stream().filter(t -> name.equals(List.of(t.catalog, t.schema, t.name)))
                        .findFirst().orElseThrow(() -> new SqlError("42P01", "[TABLE_OR_VIEW_NOT_FOUND] The table or view "
                                + from + " cannot be found."));
                List<String> selected = names(m.group(1));
                return result(selected, table.types(selected), table.select(selected, m.group(3), parameters));
            }
            return result(List.of("result"), List.of("STRING"), List.of());
        } catch (SqlError e) {
            ObjectNode failed = JSON.createObjectNode().put("statement_id", "statement-" + ids.incrementAndGet());
            failed.putObject("status").put("state", "FAILED").putObject("error").put("error_code", "BAD_REQUEST")
                    .put("message", e.getMessage()).put("sql_state", e.sqlState);
            return failed;
        }
    }

    /** An inline JSON_ARRAY result in one chunk. */
    private ObjectNode result(List<String> names, List<String> types, List<List<String>> rows) {
        ObjectNode answer = JSON.createObjectNode().put("statement_id", "statement-" + ids.incrementAndGet());
        answer.putObject("status").put("state", "SUCCEEDED");
        ObjectNode manifest = answer.putObject("manifest").put("format", "JSON_ARRAY");
        ObjectNode schema = manifest.putObject("schema").put("column_count", names.size());
        ArrayNode columns = schema.putArray("columns");
        for (int i = 0; i < names.size(); i++) {
            columns.addObject().put("name", names.get(i)).put("type_text", types.get(i))
                    .put("type_name", types.get(i).replaceAll("[<(].*", "")).put("position", i);
        }
        manifest.put("total_chunk_count", 1).put("total_row_count", rows.size()).put("truncated", false);
        manifest.putArray("chunks").addObject().put("chunk_index", 0).put("row_offset", 0).put("row_count", rows.size());
        ObjectNode result = answer.putObject("result").put("chunk_index", 0).put("row_offset", 0).put("row_count", rows.size());
        ArrayNode data = result.putArray("data_array");
        rows.forEach(row -> row.forEach(data.addArray()::add));
        return answer;
    }

    /** {@code SHOW ... LIKE} as the driver sends it: {@code *} for any run of characters, {@code .} for one, case-insensitive. */
    private static boolean like(String pattern, String value) {
        String regex = pattern.replace("*", ".*").replace("%", ".*");
        return value.toLowerCase(Locale.ROOT).matches(regex.toLowerCase(Locale.ROOT));
    }

    private static List<String> names(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = QUOTED.matcher(text);
        while (m.find()) {
            names.add(m.group(1).replace("``", "`"));
        }
        return names;
    }

    private static ObjectNode error(String code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] out = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        exchange.getResponseBody().write(out);
    }
}
