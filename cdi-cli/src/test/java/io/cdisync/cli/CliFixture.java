package io.cdisync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The CLI run in-process ({@link Main#run}) against a DuckDB table, for the contract tests. */
final class CliFixture {
    static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exitCode, String stdout, String stderr) {
        JsonNode json() throws Exception {
            return JSON.readTree(stdout);
        }

        /** The field names of the JSON object on stdout, in order. */
        List<String> fields() throws Exception {
            return names(json());
        }
    }

    private CliFixture() {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    /** A users table of {@code rows} good rows, plus one row whose PAYLOAD is not JSON when {@code broken}. */
    static Path table(Path dir, int rows, boolean broken) throws Exception {
        Path database = dir.resolve("warehouse.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users_sync (UPDATED_AT TIMESTAMP, EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR)");
            s.execute("INSERT INTO users_sync SELECT TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (i) SECOND, 'user-' || i,"
                    + " '{\"n\":' || i || '}' FROM range(0, " + rows + ") t(i)");
            if (broken) {
                s.execute("INSERT INTO users_sync VALUES (TIMESTAMP '2026-01-01 01:00:00', 'broken', '{not json')");
            }
        }
        return database;
    }

    /** A config file for the table; {@code syncExtra} and {@code brazeExtra} are indented YAML lines added to those sections. */
    static Path config(Path dir, Path database, String endpoint, String apiKey, String syncExtra, String brazeExtra)
            throws Exception {
        Path file = dir.resolve("cdi.yaml");
        Files.writeString(file, String.join("\n",
                "sync:",
                "  name: users",
                "  dataType: USER_ATTRIBUTES",
                syncExtra,
                "braze:",
                "  endpoint: " + endpoint,
                "  apiKey: " + apiKey,
                brazeExtra,
                "source:",
                "  type: duckdb",
                "  path: " + database,
                "  table: users_sync",
                "state:",
                "  type: file",
                "  path: " + dir.resolve("state"),
                ""));
        return file;
    }
}
