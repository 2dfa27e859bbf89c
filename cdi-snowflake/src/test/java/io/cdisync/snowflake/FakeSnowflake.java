package io.cdisync.snowflake;

import static io.cdisync.snowflake.FakeSnowflakeTable.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A local stub of the part of Snowflake's HTTP protocol the JDBC driver uses, for tests with the real
 * driver ({@code ssl=off}, on 127.0.0.1): {@code POST /session/v1/login-request} (key-pair JWTs are
 * verified against the users' registered public keys), {@code POST /queries/v1/query-request} ({@code SHOW
 * COLUMNS}, the incremental SELECT evaluated against bound parameters, {@code ALTER USER ... SET/UNSET
 * RSA_PUBLIC_KEY[_2]}), and {@code POST /session?delete=true}. Everything it receives is recorded.
 */
final class FakeSnowflake implements AutoCloseable {
    private static final Pattern SHOW_COLUMNS = Pattern.compile(
            "(?is)show /\\*.*?\\*/ (columns|objects)(?: like '[^']*')? in (account|database|schema|table)\\s*(.*)");
    private static final Pattern SELECT = Pattern.compile("(?s)SELECT (.+) FROM (\\S+) WHERE (.+?)(?: ORDER BY .*)?");
    private static final Pattern ALTER_USER = Pattern.compile(
            "(?i)ALTER USER \"((?:[^\"]|\"\")+)\" (SET|UNSET) (RSA_PUBLIC_KEY(?:_2)?)(?:='([A-Za-z0-9+/=]+)')?;?");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")+)\"");

    /** A login request as received. */
    record Login(String account, String user, String authenticator, JsonNode jwtClaims, String verifiedFingerprint,
            JsonNode sessionParameters, JsonNode clientEnvironment, Map<String, String> query) {
    }

    /** A query request as received. */
    record Query(String sql, JsonNode bindings, String authorization) {
    }

    /** A SQL error answered with Snowflake's error envelope. */
    static final class SqlError extends RuntimeException {
        final String code;
        final String sqlState;

        SqlError(String code, String sqlState, String message) {
            super(message);
            this.code = code;
            this.sqlState = sqlState;
        }
    }

    private final HttpServer server;
    private final Map<String, Map<PublicKeySlot, String>> users = new ConcurrentHashMap<>();
    private final List<FakeSnowflakeTable> tables = Collections.synchronizedList(new ArrayList<>());
    private final List<Login> logins = Collections.synchronizedList(new ArrayList<>());
    private final List<Query> queries = Collections.synchronizedList(new ArrayList<>());
    private final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    private volatile int sessionsDeleted;

    private FakeSnowflake() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeSnowflake start() {
        try {
            return new FakeSnowflake();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Creates a user whose {@code RSA_PUBLIC_KEY} is {@code publicKeyBase64} (null for none). */
    FakeSnowflake user(String name, String publicKeyBase64) {
        Map<PublicKeySlot, String> keys = Collections.synchronizedMap(new EnumMap<>(PublicKeySlot.class));
        if (publicKeyBase64 != null) {
            keys.put(PublicKeySlot.RSA_PUBLIC_KEY, publicKeyBase64);
        }
        users.put(name.toUpperCase(Locale.ROOT), keys);
        return this;
    }

    Map<PublicKeySlot, String> keysOf(String user) {
        return Map.copyOf(users.get(user.toUpperCase(Locale.ROOT)));
    }

    FakeSnowflakeTable table(String database, String schema, String name) {
        FakeSnowflakeTable table = new FakeSnowflakeTable(database, schema, name);
        tables.add(table);
        return table;
    }

    List<Login> logins() {
        return List.copyOf(logins);
    }

    List<Query> queries() {
        return List.copyOf(queries);
    }

    /** The SELECT statements received (not SHOW or ALTER). */
    List<Query> selects() {
        return queries().stream().filter(q -> q.sql().startsWith("SELECT")).toList();
    }

    List<String> paths() {
        return List.copyOf(paths);
    }

    int sessionsDeleted() {
        return sessionsDeleted;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            paths.add(exchange.getRequestMethod() + " " + path);
            ObjectNode answer;
            if (path.equals("/session/v1/login-request")) {
                answer = login(JSON.readTree(body), query(exchange.getRequestURI().getRawQuery()));
            } else if (path.equals("/queries/v1/query-request")) {
                answer = query(JSON.readTree(body), exchange.getRequestHeaders().getFirst("Authorization"));
            } else {
                if (path.equals("/session")) {
                    sessionsDeleted++;
                }
                answer = envelope(null);
            }
            byte[] out = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private ObjectNode login(JsonNode request, Map<String, String> query) {
        JsonNode data = request.path("data");
        String user = data.path("LOGIN_NAME").asText();
        String account = data.path("ACCOUNT_NAME").asText();
        JsonNode claims = null;
        String verified = null;
        try {
            String[] jwt = data.path("TOKEN").asText().split("\\.");
            claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            verified = verify(jwt, claims, account, user);
        } catch (Exception e) {
            // malformed token: refused below
        }
        logins.add(new Login(account, user, data.path("AUTHENTICATOR").asText(), claims, verified, data.path("SESSION_PARAMETERS"),
                data.path("CLIENT_ENVIRONMENT"), query));
        if (verified == null) {
            ObjectNode failure = JSON.createObjectNode();
            failure.putObject("data").put("nextAction", "RETRY_LOGIN").put("authnMethod", "KEYPAIR");
            failure.put("code", "390144");
            failure.put("message", "JWT token is invalid. [" + UUID.randomUUID() + "]");
            failure.put("success", false);
            return failure;
        }
        ObjectNode session = JSON.createObjectNode();
        session.put("token", "session-" + UUID.randomUUID());
        session.put("masterToken", "master-" + UUID.randomUUID());
        session.put("validityInSeconds", 3600);
        session.put("masterValidityInSeconds", 14400);
        session.put("sessionId", logins.size());
        ArrayNode parameters = session.putArray("parameters");
        // The driver needs AUTOCOMMIT (else an NPE); the server echoes the session parameters the client sent.
        parameters.addObject().put("name", "AUTOCOMMIT").put("value", true);
        data.path("SESSION_PARAMETERS").properties().forEach(p -> {
            if (!p.getKey().startsWith("_")) {
                parameters.addObject().put("name", p.getKey()).set("value", p.getValue());
            }
        });
        ObjectNode info = session.putObject("sessionInfo");
        info.put("databaseName", identifier(query.get("databaseName")));
        info.put("schemaName", identifier(query.get("schemaName")));
        info.put("warehouseName", identifier(query.get("warehouse")));
        info.put("roleName", identifier(query.get("roleName")));
        return envelope(session);
    }

    /** The fingerprint of the registered key that verifies the JWT, or null. */
    private String verify(String[] jwt, JsonNode claims, String account, String user) throws Exception {
        Map<PublicKeySlot, String> keys = users.get(user.toUpperCase(Locale.ROOT));
        String expectedSubject = account.toUpperCase(Locale.ROOT) + "." + user.toUpperCase(Locale.ROOT);
        if (keys == null || !claims.path("sub").asText().equals(expectedSubject)
                || claims.path("exp").asLong() * 1000 < System.currentTimeMillis()) {
            return null;
        }
        for (String base64 : List.copyOf(keys.values())) {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            String fingerprint = "SHA256:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            if (claims.path("iss").asText().equals(expectedSubject + "." + fingerprint)
                    && signature.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
                return fingerprint;
            }
        }
        return null;
    }

    private ObjectNode query(JsonNode request, String authorization) {
        String sql = request.path("sqlText").asText();
        queries.add(new Query(sql, request.path("bindings"), authorization));
        try {
            ObjectNode data;
            Matcher m;
            if ((m = SHOW_COLUMNS.matcher(sql)).matches()) {
                data = show(m.group(1).equalsIgnoreCase("objects"), m.group(2).toLowerCase(Locale.ROOT), names(m.group(3)));
            } else if ((m = SELECT.matcher(sql)).matches()) {
                List<String> scope = names(m.group(2));
                FakeSnowflakeTable table = find(scope);
                if (table == null) {
                    throw new SqlError("002003", "42S02", "SQL compilation error:\nObject '" + String.join(".", scope)
                            + "' does not exist or not authorized.");
                }
                data = table.select(names(m.group(1)), m.group(3), request.path("bindings"));
            } else if ((m = ALTER_USER.matcher(sql)).matches()) {
                Map<PublicKeySlot, String> keys = users.get(m.group(1).replace("\"\"", "\""));
                if (keys == null) {
                    throw new SqlError("002003", "02000", "SQL compilation error:\nUser '" + m.group(1) + "' does not exist or not authorized.");
                }
                PublicKeySlot slot = PublicKeySlot.valueOf(m.group(3).toUpperCase(Locale.ROOT));
                if (m.group(2).equalsIgnoreCase("SET")) {
                    keys.put(slot, m.group(4));
                } else {
                    keys.remove(slot);
                }
                data = statusResult();
            } else {
                data = statusResult();
            }
            data.put("total", data.path("rowset").size());
            data.put("returned", data.path("rowset").size());
            data.put("queryId", UUID.randomUUID().toString());
            data.put("queryResultFormat", "json");
            data.put("statementTypeId", 4096);
            data.put("version", 1);
            data.putArray("parameters");
            return envelope(data);
        } catch (SqlError e) {
            ObjectNode failure = JSON.createObjectNode();
            failure.putObject("data").put("internalError", false).put("errorCode", e.code).put("sqlState", e.sqlState)
                    .put("queryId", UUID.randomUUID().toString()).put("type", "COMPILATION");
            failure.put("code", e.code);
            failure.put("message", e.getMessage());
            failure.put("success", false);
            return failure;
        }
    }

    /** {@code SHOW COLUMNS} (rows as {@link FakeSnowflakeTable#showColumnRows}) or {@code SHOW OBJECTS} (created_on, name, database, schema, kind, comment). */
    private ObjectNode show(boolean objects, String scope, List<String> names) {
        ArrayNode rowSet = JSON.createArrayNode();
        boolean found = scope.equals("account");
        for (FakeSnowflakeTable table : List.copyOf(tables)) {
            boolean in = switch (scope) {
                case "database" -> table.database.equals(names.get(0));
                case "schema" -> table.database.equals(names.get(0)) && table.schema.equals(names.get(1));
                case "table" -> table.database.equals(names.get(0)) && table.schema.equals(names.get(1)) && table.name.equals(names.get(2));
                default -> true;
            };
            if (in) {
                found = true;
                if (objects) {
                    List.of("2026-01-01 00:00:00.000 -0800", table.name, table.database, table.schema, "TABLE", "").forEach(rowSet.addArray()::add);
                } else {
                    table.showColumnRows().forEach(row -> row.forEach(rowSet.addArray()::add));
                }
            }
        }
        if (!found) {
            // Snowflake's answer for an unknown (or invisible) object; the driver turns it into an empty result.
            throw new SqlError("002003", "02000", "SQL compilation error:\n" + scope + " '" + String.join(".", names)
                    + "' does not exist or not authorized.");
        }
        ObjectNode data = JSON.createObjectNode();
        data.set("rowtype", objects ? FakeSnowflakeTable.rowType("created_on", "name", "database_name", "schema_name", "kind", "comment")
                : FakeSnowflakeTable.rowType("table_name", "schema_name", "column_name", "data_type", "null?", "default", "kind",
                        "expression", "comment", "database_name", "autoincrement"));
        data.set("rowset", rowSet);
        return data;
    }

    private FakeSnowflakeTable find(List<String> name) {
        return List.copyOf(tables).stream().filter(t -> name.size() == 3 && t.database.equals(name.get(0))
                && t.schema.equals(name.get(1)) && t.name.equals(name.get(2))).findFirst().orElse(null);
    }

    private static ObjectNode statusResult() {
        ObjectNode data = JSON.createObjectNode();
        data.putArray("rowtype").add(FakeSnowflakeTable.rowTypeEntry("status", "TEXT"));
        data.putArray("rowset").addArray().add("Statement executed successfully.");
        return data;
    }

    private static ObjectNode envelope(JsonNode data) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.set("data", data);
        envelope.putNull("code");
        envelope.putNull("message");
        envelope.put("success", true);
        return envelope;
    }

    /** The double-quoted names in {@code text}, unquoted, in order. */
    private static List<String> names(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = QUOTED.matcher(text);
        while (m.find()) {
            names.add(m.group(1).replace("\"\"", "\""));
        }
        return names;
    }

    /** An identifier from the login URL as Snowflake stores it: unquoted names upper-cased. */
    private static String identifier(String name) {
        if (name == null) {
            return null;
        }
        return name.startsWith("\"") ? name.substring(1, name.length() - 1) : name.toUpperCase(Locale.ROOT);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
