package io.cdisync.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stub of BigQuery's REST API v2 on 127.0.0.1, for the real {@code google-cloud-bigquery} client: one
 * table (schema and rows), query jobs that really filter by the {@code @since}/{@code @until} (and
 * {@code @limit}) parameters they receive and page their result by {@code maxResults}/{@code pageToken},
 * jobs that stay incomplete for a few polls, scripted errors in Google's error format, and an OAuth token
 * endpoint for service-account keys. It does not parse SQL beyond the SELECT list and {@code DESC}: the
 * tests assert the SQL text themselves. Every request is recorded.
 */
final class FakeBigQuery implements AutoCloseable {
    static final String ACCESS_TOKEN = "fake-access-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/bigquery/v2/projects/([^/]+)";
    private static final Pattern GET_DATASET = Pattern.compile(API + "/datasets/([^/]+)");
    private static final Pattern GET_TABLE = Pattern.compile(API + "/datasets/([^/]+)/tables/([^/]+)");
    private static final Pattern LIST_DATA = Pattern.compile(API + "/datasets/([^/]+)/tables/([^/]+)/data");
    private static final Pattern QUERY = Pattern.compile(API + "/queries");
    private static final Pattern QUERY_RESULTS = Pattern.compile(API + "/queries/([^/]+)");
    private static final Pattern INSERT_JOB = Pattern.compile(API + "/jobs");
    private static final Pattern GET_JOB = Pattern.compile(API + "/jobs/([^/]+)");

    /** The API calls the stub answers. */
    enum Route { GET_DATASET, GET_TABLE, QUERY, GET_QUERY_RESULTS, GET_JOB, LIST_DATA, INSERT_JOB, TOKEN }

    /** A column of the table, with its type as the API spells it (TIMESTAMP, STRING, JSON, BOOLEAN, INTEGER). */
    record Column(String name, String type) {
    }

    /** A request as it arrived. */
    record Recorded(Route route, String method, String path, Map<String, String> query, String body, String authorization) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Fault(Route route, int status, String reason, String message) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Recorded> requests = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final Map<String, FakeQueryJob> jobs = new HashMap<>();
    private final Map<String, Integer> pollsLeft = new HashMap<>();
    private String tableKey;
    private List<Column> columns = List.of();
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private int incompletePolls;
    private int defaultPageSize = 1_000;
    private int jobCount;

    private FakeBigQuery() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FakeBigQuery start() {
        try {
            return new FakeBigQuery();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The root URL to give the client as its host. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Defines the one table this stub serves. */
    synchronized FakeBigQuery table(String project, String dataset, String table, Column... columns) {
        this.tableKey = project + "/" + dataset + "/" + table;
        this.columns = List.of(columns);
        return this;
    }

    /** Adds a row: column name (as defined) to value (Instant, String, Boolean or null). */
    synchronized void insert(Map<String, Object> row) {
        rows.add(new HashMap<>(row));
    }

    /** The next query stays incomplete ({@code jobComplete: false}) for this many answers. */
    synchronized void incompleteFor(int polls) {
        this.incompletePolls = polls;
    }

    /** Page size of a data listing that sends no {@code maxResults} (BigQuery's own default is by bytes). */
    synchronized void defaultPageSize(int size) {
        this.defaultPageSize = size;
    }

    /** Answers every request of {@code route} with this error until {@link #clearFaults()}. */
    synchronized void fail(Route route, int status, String reason, String message) {
        faults.add(new Fault(route, status, reason, message));
    }

    synchronized void clearFaults() {
        faults.clear();
    }

    synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    synchronized List<Recorded> requests(Route route) {
        return requests.stream().filter(r -> r.route() == route).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
            byte[] raw = exchange.getRequestBody().readAllBytes();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                // The client gzips request bodies.
                raw = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes();
            }
            String body = new String(raw, StandardCharsets.UTF_8);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            int status;
            Object answer;
            synchronized (this) {
                Route route = route(method, path);
                requests.add(new Recorded(route, method, path, query, body, authorization));
                Fault fault = route == null ? null : faults.stream().filter(f -> f.route() == route).findFirst().orElse(null);
                if (route == null) {
                    status = 404;
                    answer = error(404, "notFound", "Unknown path " + method + " " + path);
                } else if (fault != null) {
                    status = fault.status();
                    answer = route == Route.TOKEN ? JSON.createObjectNode().put("error", fault.reason())
                            .put("error_description", fault.message()) : error(fault.status(), fault.reason(), fault.message());
                } else {
                    Object ok;
                    int code = 200;
                    try {
                        ok = answer(route, path, query, body);
                    } catch (ErrorAnswer e) {
                        code = e.status;
                        ok = e.body;
                    }
                    status = code;
                    answer = ok;
                }
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        } catch (RuntimeException | IOException e) {
            // A bug in the stub or a call it does not know: a 400 the client does not retry, and the trace in the test's output.
            System.err.println("FakeBigQuery failed on " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
            e.printStackTrace();
            byte[] bytes = JSON.writeValueAsBytes(error(400, "invalid", "FakeBigQuery failed: " + e));
            exchange.sendResponseHeaders(400, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }

    private static Route route(String method, String path) {
        if (path.equals("/token")) {
            return Route.TOKEN;
        }
        if (method.equals("POST")) {
            return QUERY.matcher(path).matches() ? Route.QUERY : INSERT_JOB.matcher(path).matches() ? Route.INSERT_JOB : null;
        }
        if (LIST_DATA.matcher(path).matches()) {
            return Route.LIST_DATA;
        }
        if (GET_TABLE.matcher(path).matches()) {
            return Route.GET_TABLE;
        }
        if (GET_DATASET.matcher(path).matches()) {
            return Route.GET_DATASET;
        }
        if (QUERY_RESULTS.matcher(path).matches()) {
            return Route.GET_QUERY_RESULTS;
        }
        return GET_JOB.matcher(path).matches() ? Route.GET_JOB : null;
    }

    private Object answer(Route route, String path, Map<String, String> query, String body) throws IOException {
        return switch (route) {
            case TOKEN -> JSON.createObjectNode().put("access_token", ACCESS_TOKEN).put("expires_in", 3600).put("token_type", "Bearer");
            case GET_DATASET -> getDataset(group(GET_DATASET, path));
            case GET_TABLE -> getTable(group(GET_TABLE, path));
            case QUERY -> query(group(QUERY, path)[0], (ObjectNode) JSON.readTree(body));
            case INSERT_JOB -> insertJob((ObjectNode) JSON.readTree(body));
            case GET_QUERY_RESULTS -> queryResults(job(group(QUERY_RESULTS, path)[1]), query);
            case GET_JOB -> jobResource(job(group(GET_JOB, path)[1]));
            case LIST_DATA -> listData(group(LIST_DATA, path), query);
        };
    }

    private Object getTable(String[] ids) {
        if (!String.join("/", ids).equals(tableKey)) {
            return notFoundTable(ids);
        }
        ObjectNode table = JSON.createObjectNode().put("kind", "bigquery#table").put("id", ids[0] + ":" + ids[1] + "." + ids[2]);
        table.putObject("tableReference").put("projectId", ids[0]).put("datasetId", ids[1]).put("tableId", ids[2]);
        table.set("schema", FakeQueryJob.schema(columns));
        return table.put("type", "TABLE");
    }

    private Object getDataset(String[] ids) {
        if (tableKey == null || !tableKey.startsWith(ids[0] + "/" + ids[1] + "/")) {
            throw new ErrorAnswer(404, error(404, "notFound", "Not found: Dataset " + ids[0] + ":" + ids[1]));
        }
        ObjectNode dataset = JSON.createObjectNode().put("kind", "bigquery#dataset").put("id", ids[0] + ":" + ids[1]);
        dataset.putObject("datasetReference").put("projectId", ids[0]).put("datasetId", ids[1]);
        return dataset.put("location", "US");
    }

    private Object notFoundTable(String[] ids) {
        boolean datasetExists = tableKey != null && tableKey.startsWith(ids[0] + "/" + ids[1] + "/");
        String message = datasetExists ? "Not found: Table " + ids[0] + ":" + ids[1] + "." + ids[2]
                : "Not found: Dataset " + ids[0] + ":" + ids[1];
        throw new ErrorAnswer(404, error(404, "notFound", message));
    }

    /** An answer other than 200, thrown from inside the handlers. */
    private static final class ErrorAnswer extends RuntimeException {
        private final int status;
        private final transient Object body;

        ErrorAnswer(int status, Object body) {
            super(null, null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    private ObjectNode query(String project, ObjectNode request) {
        String id = "job_" + (++jobCount);
        FakeQueryJob job = FakeQueryJob.run(project, id, request.path("query").asText(), request.path("queryParameters"),
                request.path("formatOptions").path("useInt64Timestamp").asBoolean(false), columns, rows);
        jobs.put(id, job);
        pollsLeft.put(id, incompletePolls);
        incompletePolls = 0;
        ObjectNode response = JSON.createObjectNode().put("kind", "bigquery#queryResponse");
        response.set("jobReference", reference(project, job.id()));
        if (pollsLeft.getOrDefault(job.id(), 0) > 0) {
            pollsLeft.merge(job.id(), -1, Integer::sum);
            return response.put("jobComplete", false);
        }
        long max = request.has("maxResults") ? request.get("maxResults").asLong() : defaultPageSize;
        return job.page(response, 0, max).put("jobComplete", true);
    }

    private ObjectNode insertJob(ObjectNode request) {
        // Only dry runs come here (BigQuerySource.check()): answer with the statistics BigQuery gives.
        ObjectNode job = JSON.createObjectNode().put("kind", "bigquery#job");
        job.set("jobReference", request.path("jobReference"));
        job.set("configuration", request.path("configuration"));
        job.putObject("status").put("state", "DONE");
        job.putObject("statistics").put("creationTime", "1767225600000").put("totalBytesProcessed", "1024")
                .putObject("query").put("totalBytesProcessed", "1024").put("statementType", "SELECT");
        return job;
    }

    private ObjectNode queryResults(FakeQueryJob job, Map<String, String> query) {
        ObjectNode response = JSON.createObjectNode().put("kind", "bigquery#getQueryResultsResponse");
        response.set("jobReference", reference(tableKey.split("/")[0], job.id()));
        if (pollsLeft.getOrDefault(job.id(), 0) > 0) {
            pollsLeft.merge(job.id(), -1, Integer::sum);
            return response.put("jobComplete", false);
        }
        long max = query.containsKey("maxResults") ? Long.parseLong(query.get("maxResults")) : defaultPageSize;
        return job.page(response, offset(query), max).put("jobComplete", true);
    }

    private ObjectNode jobResource(FakeQueryJob job) {
        ObjectNode resource = JSON.createObjectNode().put("kind", "bigquery#job");
        resource.set("jobReference", reference(tableKey.split("/")[0], job.id()));
        resource.set("configuration", job.configuration());
        resource.putObject("status").put("state", pollsLeft.getOrDefault(job.id(), 0) > 0 ? "RUNNING" : "DONE");
        resource.putObject("statistics").put("creationTime", "1767225600000");
        return resource;
    }

    private ObjectNode listData(String[] ids, Map<String, String> query) {
        FakeQueryJob job = jobs.values().stream().filter(j -> j.destination().equals(String.join("/", ids))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no job wrote " + String.join(".", ids)));
        long max = query.containsKey("maxResults") ? Long.parseLong(query.get("maxResults")) : defaultPageSize;
        boolean int64 = "true".equals(query.get("formatOptions.useInt64Timestamp"));
        ObjectNode response = JSON.createObjectNode().put("kind", "bigquery#tableDataList");
        job.encodedAs(int64).page(response, offset(query), max);
        response.remove("schema");
        return response;
    }

    private static ObjectNode reference(String project, String jobId) {
        return JSON.createObjectNode().put("projectId", project).put("jobId", jobId).put("location", "US");
    }

    private static ObjectNode error(int code, String reason, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error").put("code", code).put("message", message);
        error.putArray("errors").addObject().put("message", message).put("domain", "global").put("reason", reason);
        return root;
    }

    private FakeQueryJob job(String id) {
        FakeQueryJob job = jobs.get(id);
        if (job == null) {
            throw new IllegalStateException("unknown job " + id);
        }
        return job;
    }

    private static long offset(Map<String, String> query) {
        String token = query.get("pageToken");
        return token == null ? 0 : Long.parseLong(token.substring("token-".length()));
    }

    private static String[] group(Pattern pattern, String path) {
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            throw new IllegalStateException(path);
        }
        String[] groups = new String[m.groupCount()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8);
        }
        return groups;
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                query.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}
