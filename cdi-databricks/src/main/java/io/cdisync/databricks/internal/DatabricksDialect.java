package io.cdisync.databricks.internal;

import io.cdisync.core.jdbc.JdbcColumn;
import io.cdisync.core.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * Databricks SQL through {@code com.databricks:databricks-jdbc} 3.x: backtick-quoted names, TIMESTAMP (an
 * instant) and TIMESTAMP_NTZ (a wall time, read as UTC), PAYLOAD as STRING, STRUCT or MAP.
 *
 * <p>The driver formats a bound {@code java.sql.Timestamp} in the JVM's time zone and the server reads it
 * in the session's, so the bounds are bound as ISO-8601 strings instead: {@code 2026-01-01T00:00:00.123456Z}
 * for a TIMESTAMP column (an instant, whatever either zone), the UTC wall time without a zone for a
 * TIMESTAMP_NTZ column; the server casts the string to the column's type to compare. Values are read with
 * {@code getTimestamp} ({@code getObject(i, LocalDateTime.class)} returns a Timestamp in this driver).
 * STRUCT and MAP values arrive as JSON text, like a STRING payload, so every PAYLOAD reaches the engine
 * in the same shape.
 */
public final class DatabricksDialect implements SqlDialect {
    public static final DatabricksDialect INSTANCE = new DatabricksDialect();
    /** Microseconds: Databricks' timestamp precision. */
    private static final DateTimeFormatter WALL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private DatabricksDialect() {
    }

    @Override
    public String name() {
        return "databricks";
    }

    @Override
    public String quote(String identifier) {
        return '`' + Objects.requireNonNull(identifier, "identifier").replace("`", "``") + '`';
    }

    @Override
    public boolean isZoned(JdbcColumn column) {
        return !column.typeName().toLowerCase(Locale.ROOT).startsWith("timestamp_ntz");
    }

    @Override
    public void bindTimestamp(PreparedStatement statement, int index, Instant value, boolean zoned) throws SQLException {
        statement.setString(index, WALL.format(value) + (zoned ? "Z" : ""));
    }

    @Override
    public Instant readTimestamp(ResultSet resultSet, int index, boolean zoned) throws SQLException {
        Timestamp value = resultSet.getTimestamp(index);
        if (value == null) {
            return null;
        }
        // A TIMESTAMP_NTZ comes back as that wall time in the JVM's zone: take the wall time, read it as UTC.
        return zoned ? value.toInstant() : value.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    @Override
    public void prepareForStreaming(Connection connection) {
        // No transactions to turn off: results stream (inline chunks or cloud fetch) whatever the autocommit mode.
    }

    @Override
    public String textType() {
        return "STRING";
    }

    @Override
    public String zonedTimestampType() {
        return "TIMESTAMP";
    }

    @Override
    public String toString() {
        return "DatabricksDialect";
    }
}
