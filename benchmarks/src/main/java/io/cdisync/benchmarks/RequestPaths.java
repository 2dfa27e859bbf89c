package io.cdisync.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdisync.braze.EncodedObject;
import io.cdisync.braze.EncodedTrackRequest;
import io.cdisync.core.DataType;
import io.cdisync.core.internal.InvalidRow;
import io.cdisync.core.internal.RowTranslator;
import io.cdisync.core.spi.IdentifierResolver;
import io.cdisync.core.spi.SourceRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two ways from source rows to the bytes of one {@code /users/track} request that the JMH benchmarks
 * compare. {@link #cdi} runs the engine's own code (an internal API: benchmarks may reach it, nothing
 * else does); {@link #naive} is the obvious implementation: parse PAYLOAD to a tree, check it, build a
 * map, serialize.
 */
final class RequestPaths {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RowTranslator translator = new RowTranslator(DataType.USER_ATTRIBUTES, IdentifierResolver.braze(), false);

    /**
     * The engine's path: translate each row (identifier, payload rules, streaming encode), then build the
     * request body exactly as {@code BrazeClient.track(EncodedTrackRequest)} does.
     */
    byte[] cdi(List<SourceRow> rows) throws InvalidRow {
        List<EncodedObject> objects = new ArrayList<>(rows.size());
        for (SourceRow row : rows) {
            objects.add(translator.translate(row).encoded());
        }
        return new EncodedTrackRequest(EncodedTrackRequest.Array.ATTRIBUTES, objects).body();
    }

    /** The naive path: tree, checks, map, serialize. */
    byte[] naive(List<SourceRow> rows) throws JsonProcessingException {
        List<Map<String, Object>> objects = new ArrayList<>(rows.size());
        for (SourceRow row : rows) {
            JsonNode tree = MAPPER.readTree((String) row.payload());
            if (!tree.isObject() || tree.size() > 250 || tree.has("external_id") || tree.has("user_alias")
                    || tree.has("braze_id")) {
                throw new IllegalStateException("invalid row");
            }
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("external_id", row.externalId());
            Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                object.put(field.getKey(), MAPPER.convertValue(field.getValue(), Object.class));
            }
            objects.add(object);
        }
        return MAPPER.writeValueAsBytes(Map.of("attributes", objects));
    }

    /** {@code count} sample rows of {@code payloadBytes}, each a different user. */
    static List<SourceRow> rows(int count, int payloadBytes) {
        List<SourceRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(SamplePayloads.row(i, Long.MAX_VALUE, payloadBytes));
        }
        return rows;
    }
}
