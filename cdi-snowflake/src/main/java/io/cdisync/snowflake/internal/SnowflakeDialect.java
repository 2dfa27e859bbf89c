package io.cdisync.snowflake.internal;

import io.cdisync.core.jdbc.JdbcColumn;
import io.cdisync.core.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;

/**
 * Snowflake through {@code net.snowflake:snowflake-jdbc} 4.x: TIMESTAMP_NTZ is read and compared as UTC wall
 * time, TIMESTAMP_TZ and TIMESTAMP_LTZ as instants; PAYLOAD (VARCHAR, VARIANT, OBJECT) is read as JSON text.
 *
 * <p>The driver binds neither {@code java.time} values nor plain {@code TIMESTAMP} types the way the
 * default dialect does ({@code setObject(LocalDateTime)} is refused; {@code setTimestamp} binds
 * TIMESTAMP_LTZ or whatever {@code CLIENT_TIMESTAMP_TYPE_MAPPING} says), so bounds are bound with the
 * driver's explicit timestamp types. {@code getObject(i, LocalDateTime.class)} is refused too, so
 * timestamps are read with {@code getTimestamp}.
 */
public final class SnowflakeDialect implements SqlDialect {
    public static final SnowflakeDialect INSTANCE = new SnowflakeDialect();
    /** {@code SnowflakeType.EXTRA_TYPES_TIMESTAMP_LTZ}: binds an instant (epoch nanoseconds). */
    static final int TIMESTAMP_LTZ = 50000;
    /** {@code SnowflakeType.EXTRA_TYPES_TIMESTAMP_NTZ}: binds the UTC wall time of the Timestamp's instant. */
    static final int TIMESTAMP_NTZ = 50002;

    private SnowflakeDialect() {
    }

    @Override
    public String name() {
        return "snowflake";
    }

    @Override
    public boolean isZoned(JdbcColumn column) {
        // getColumns reports TIMESTAMPTZ / TIMESTAMPLTZ (no underscore); DDL spells them TIMESTAMP_TZ / TIMESTAMP_LTZ.
        String type = column.typeName().toLowerCase(Locale.ROOT).replace("_", "");
        return column.jdbcType() == Types.TIMESTAMP_WITH_TIMEZONE || type.equals("timestamptz") || type.equals("timestampltz");
    }

    @Override
    public void bindTimestamp(PreparedStatement statement, int index, Instant value, boolean zoned) throws SQLException {
        statement.setObject(index, Timestamp.from(value), zoned ? TIMESTAMP_LTZ : TIMESTAMP_NTZ);
    }

    @Override
    public Instant readTimestamp(ResultSet resultSet, int index, boolean zoned) throws SQLException {
        // A zoned value is an instant; a TIMESTAMP_NTZ is a wall time, read in a UTC calendar so that neither the
        // JVM's nor the session's time zone shifts it.
        Timestamp value = zoned ? resultSet.getTimestamp(index)
                : resultSet.getTimestamp(index, Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT));
        return value == null ? null : value.toInstant();
    }

    @Override
    public Object readPayload(ResultSet resultSet, int index, JdbcColumn column) throws SQLException {
        // VARCHAR, VARIANT and OBJECT all arrive as JSON text; the engine parses it.
        return resultSet.getString(index);
    }

    @Override
    public void prepareForStreaming(Connection connection) {
        // The driver streams result chunks whatever the autocommit mode; turning it off would cost an
        // ALTER SESSION round trip per read for nothing.
    }

    @Override
    public String textType() {
        return "VARCHAR";
    }

    @Override
    public String zonedTimestampType() {
        return "TIMESTAMP_TZ";
    }

    @Override
    public String toString() {
        return "SnowflakeDialect";
    }
}
