package io.cdisync.core.jdbc.internal;

import io.cdisync.core.jdbc.JdbcColumn;
import java.sql.Array;
import java.sql.Clob;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Types;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns what a driver returns for PAYLOAD into what {@code SourceRow.payload} holds: JSON text, or a map
 * of plain JSON values. Structured values (STRUCT, MAP, arrays, nested) become maps and lists; temporal
 * values become ISO-8601 text.
 */
public final class PayloadValues {
    private static final Set<String> JSON_TEXT_TYPES = Set.of("json", "jsonb", "text", "string");

    private PayloadValues() {
    }

    /** True when the column holds text or JSON, read with {@code getString}. */
    public static boolean isText(JdbcColumn column) {
        return switch (column.jdbcType()) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB, Types.NCLOB -> true;
            default -> JSON_TEXT_TYPES.contains(column.typeName().toLowerCase(Locale.ROOT));
        };
    }

    /**
     * The payload for a value read with {@code getObject}: a String, a {@code Map<String, Object>}, or the
     * value itself when it cannot be converted (the engine then reports the row as having an unsupported payload).
     */
    public static Object toPayload(Object value) throws SQLException {
        if (value == null || value instanceof String) {
            return value;
        }
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()));
        }
        if (value instanceof Map<?, ?> || value instanceof Struct) {
            try {
                return toJsonValue(value);
            } catch (Unconvertible e) {
                return value;
            }
        }
        return value;
    }

    private static Object toJsonValue(Object value) throws SQLException {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.put(String.valueOf(entry.getKey()), toJsonValue(entry.getValue()));
            }
            return out;
        }
        if (value instanceof Struct struct) {
            Object[] attributes = struct.getAttributes();
            List<String> names = StructTypeNames.fieldNames(struct.getSQLTypeName());
            if (names == null || names.size() != attributes.length) {
                throw new Unconvertible();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < attributes.length; i++) {
                out.put(names.get(i), toJsonValue(attributes[i]));
            }
            return out;
        }
        if (value instanceof Array array) {
            return toJsonValue(array.getArray());
        }
        if (value instanceof Object[] items) {
            return toJsonValue(List.of(items));
        }
        if (value instanceof Collection<?> items) {
            List<Object> out = new ArrayList<>(items.size());
            for (Object item : items) {
                out.add(toJsonValue(item));
            }
            return out;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()));
        }
        if (value instanceof TemporalAccessor || value instanceof java.util.UUID) {
            return value.toString();
        }
        if (value.getClass().isArray()) {
            // Primitive arrays (int[], double[]...) from some drivers.
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
                out.add(java.lang.reflect.Array.get(value, i));
            }
            return out;
        }
        return value.toString();
    }

    /** A structured value this class cannot name the parts of. */
    private static final class Unconvertible extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unconvertible() {
            super(null, null, false, false);
        }
    }
}
