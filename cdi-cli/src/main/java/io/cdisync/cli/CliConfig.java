package io.cdisync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cdisync.braze.BrazeLimits;
import io.cdisync.braze.Secret;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.SourceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLI's YAML config: {@code sync}, {@code braze}, {@code source} and {@code state} sections,
 * {@code ${ENV_VAR}} substitution in values, and unknown keys as errors. Secrets are held as
 * {@link Secret} and never printed.
 */
record CliConfig(Sync sync, Braze braze, Map<String, String> source, Map<String, String> state) {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Set<String> SECTIONS = Set.of("sync", "braze", "source", "state");
    private static final Set<String> SYNC_KEYS = Set.of("name", "dataType", "catalog", "lookback", "settleDelay",
            "concurrency", "maxRowsPerRun", "updateExistingOnly", "keepFailedRowPayloads");
    private static final Set<String> BRAZE_KEYS = Set.of("endpoint", "apiKey", "maxRequestsInFlight", "objectsPerRequest",
            "maxRequestBytes");
    /** The client's smallest request body limit; the largest is Braze's (bodies over 4 MB are refused with 413). */
    private static final int MIN_REQUEST_BYTES = 1024;

    /** The {@code sync} section. */
    record Sync(String name, DataType dataType, String catalog, Duration lookback, Duration settleDelay, Integer concurrency,
            Long maxRowsPerRun, boolean updateExistingOnly, boolean keepFailedRowPayloads) {
    }

    /**
     * The {@code braze} section. {@code objectsPerRequest} (objects per {@code /users/track} request: 75, or 50 on
     * plans that allow 50 combined) and {@code maxRequestBytes} are null when not set: the client's defaults apply.
     */
    record Braze(String endpoint, Secret apiKey, Integer maxRequestsInFlight, Integer objectsPerRequest,
            Integer maxRequestBytes) {
    }

    /** Source and state values may hold passwords (also inside URLs): printed masked. */
    @Override
    public String toString() {
        return "CliConfig[sync=" + sync + ", braze=" + braze + ", source=" + new SourceSettings("source", source)
                + ", state=" + new SourceSettings("state", state) + "]";
    }

    static CliConfig load(Path file, Map<String, String> env) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("config file " + file + " must be a YAML mapping with sections " + sorted(SECTIONS));
        }
        unknownKeys(root, "", SECTIONS);
        Map<String, String> sync = section(root, "sync", SYNC_KEYS, env);
        Map<String, String> braze = section(root, "braze", BRAZE_KEYS, env);
        Map<String, String> source = section(root, "source", null, env);
        Map<String, String> state = section(root, "state", null, env);
        return new CliConfig(parseSync(sync), parseBraze(braze), source, state);
    }

    private static Sync parseSync(Map<String, String> s) {
        String name = required(s, "sync", "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new ConfigException("sync.name: '" + name + "' must be 1-128 letters, digits, '.', '_' or '-'");
        }
        String typeText = required(s, "sync", "dataType");
        DataType dataType;
        try {
            dataType = DataType.valueOf(typeText.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sync.dataType: '" + typeText + "' is not one of " + Arrays.toString(DataType.values()));
        }
        String catalog = s.get("catalog");
        if (dataType == DataType.CATALOG_ITEMS && (catalog == null || catalog.isBlank())) {
            throw new ConfigException("sync.catalog: required when sync.dataType is CATALOG_ITEMS");
        }
        if (dataType != DataType.CATALOG_ITEMS && catalog != null) {
            throw new ConfigException("sync.catalog: only allowed when sync.dataType is CATALOG_ITEMS");
        }
        return new Sync(name, dataType, catalog, duration(s, "lookback"), duration(s, "settleDelay"),
                integer(s, "sync", "concurrency"), s.containsKey("maxRowsPerRun") ? (long) integer(s, "sync", "maxRowsPerRun") : null,
                Boolean.parseBoolean(s.getOrDefault("updateExistingOnly", "false")), bool(s, "keepFailedRowPayloads"));
    }

    private static boolean bool(Map<String, String> values, String key) {
        String value = values.getOrDefault(key, "false").trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException("sync." + key + ": '" + value + "' is not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static Braze parseBraze(Map<String, String> b) {
        String endpoint = required(b, "braze", "endpoint");
        if (!endpoint.startsWith("https://") && !endpoint.startsWith("http://")) {
            throw new ConfigException("braze.endpoint: '" + endpoint + "' must be your instance's REST endpoint, such as"
                    + " https://rest.iad-01.braze.com");
        }
        Integer objects = integer(b, "braze", "objectsPerRequest");
        if (objects != null && objects > BrazeLimits.TRACK_OBJECTS_PER_ARRAY) {
            throw new ConfigException("braze.objectsPerRequest: must be 1 to " + BrazeLimits.TRACK_OBJECTS_PER_ARRAY
                    + " (objects per /users/track request: " + BrazeLimits.TRACK_OBJECTS_PER_ARRAY + ", or "
                    + BrazeLimits.TRACK_OBJECTS_PER_REQUEST_SMALL_PLAN + " on plans that allow that many combined), was " + objects);
        }
        Integer bytes = integer(b, "braze", "maxRequestBytes");
        if (bytes != null && (bytes < MIN_REQUEST_BYTES || bytes > BrazeLimits.MAX_REQUEST_BYTES)) {
            throw new ConfigException("braze.maxRequestBytes: must be " + MIN_REQUEST_BYTES + " to " + BrazeLimits.MAX_REQUEST_BYTES
                    + " (Braze refuses request bodies over 4 MB), was " + bytes);
        }
        return new Braze(endpoint, Secret.of(required(b, "braze", "apiKey")), integer(b, "braze", "maxRequestsInFlight"),
                objects, bytes);
    }

    private static Map<String, String> section(JsonNode root, String name, Set<String> keys, Map<String, String> env) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            throw new ConfigException(name + ": section is missing");
        }
        if (!node.isObject()) {
            throw new ConfigException(name + ": must be a mapping of keys to values");
        }
        if (keys != null) {
            unknownKeys(node, name + ".", keys);
        }
        Map<String, String> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isContainerNode()) {
                throw new ConfigException(name + "." + field.getKey() + ": must be a single value");
            }
            if (!value.isNull()) {
                values.put(field.getKey(), substitute(value.asText(), name + "." + field.getKey(), env));
            }
        }
        return values;
    }

    private static String substitute(String text, String key, Map<String, String> env) {
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                throw new ConfigException(key + ": environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void unknownKeys(JsonNode node, String prefix, Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ConfigException(prefix + name + ": unknown key; known keys are " + sorted(known));
            }
        }
    }

    static String required(Map<String, String> values, String section, String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException(section + "." + key + ": required");
        }
        return value;
    }

    private static Integer integer(Map<String, String> values, String section, String key) {
        String value = values.get(key);
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new ConfigException(section + "." + key + ": must be at least 1, was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(section + "." + key + ": '" + value + "' is not a whole number");
        }
    }

    private static Duration duration(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null) {
            return Duration.ZERO;
        }
        try {
            Duration d = Duration.parse(value.trim());
            if (d.isNegative()) {
                throw new ConfigException("sync." + key + ": must not be negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ConfigException("sync." + key + ": '" + value + "' is not an ISO-8601 duration such as PT10M");
        }
    }

    private static String sorted(Set<String> keys) {
        return new java.util.TreeSet<>(keys).toString();
    }
}
