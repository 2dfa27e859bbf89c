package io.cdisync.core.jdbc;

import io.cdisync.core.jdbc.internal.DuckDbDialect;
import io.cdisync.core.jdbc.internal.PayloadValues;
import io.cdisync.core.jdbc.internal.PostgresDialect;
import io.cdisync.core.jdbc.internal.StandardDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TimeZone;
import java.util.stream.Collectors;

/**
 * What differs between SQL databases, for {@link JdbcSource} and {@code JdbcWatermarkStore}: quoting,
 * the incremental query, binding and reading UTC timestamps, reading PAYLOAD, streaming, and how errors
 * look. Every method has an ANSI default; a database module implements this interface and overrides
 * only what its database does differently (never an {@code if (isSnowflake)} inside the source).
 *
 * <p>Stateless and thread-safe. Called on the sync's thread while a read or check runs; the methods
 * taking JDBC objects may block on the driver and throw its {@link SQLException}s, which the caller
 * classifies with {@link JdbcErrors}.
 */
public interface SqlDialect {
    /** The ANSI defaults: double-quoted identifiers, {@code java.time} binding, autocommit off while streaming. */
    static SqlDialect standard() {
        return StandardDialect.INSTANCE;
    }

    /** PostgreSQL (pgjdbc): cursors need autocommit off; {@code json}/{@code jsonb} read as text. */
    static SqlDialect postgres() {
        return PostgresDialect.INSTANCE;
    }

    /**
     * DuckDB (in-process): STRUCT and MAP payloads, errors told by message (DuckDB sets no SQLState).
     * Open DuckDB connections with {@code jdbc_stream_results=true} to stream large results instead of
     * materializing them in native memory.
     */
    static SqlDialect duckdb() {
        return DuckDbDialect.INSTANCE;
    }

    /** A short name for descriptions and logs, e.g. {@code "postgres"}. */
    default String name() {
        return "standard";
    }

    /** An identifier quoted for SQL: {@code "name"}, inner quotes doubled. Safe for any input. */
    default String quote(String identifier) {
        return '"' + Objects.requireNonNull(identifier, "identifier").replace("\"", "\"\"") + '"';
    }

    /** The table's name quoted part by part, e.g. {@code "db"."schema"."table"}. */
    default String qualifiedName(TableName table) {
        return (table.catalog() == null ? "" : quote(table.catalog()) + ".")
                + (table.schema() == null ? "" : quote(table.schema()) + ".") + quote(table.table());
    }

    /**
     * The incremental read: the given columns of {@code table}, rows with {@code from <= UPDATED_AT <= until}
     * (two parameters; only the second when {@code withLowerBound} is false), ordered by UPDATED_AT.
     * Rows whose UPDATED_AT is NULL fall outside both bounds and are never read.
     *
     * @param table     the table, with the names as the database stores them
     * @param columns   the column names to select, as the database stores them
     * @param updatedAt the UPDATED_AT column's stored name
     * @param withLowerBound true to filter {@code UPDATED_AT >= ?} as well
     */
    default String incrementalQuery(TableName table, List<String> columns, String updatedAt, boolean withLowerBound) {
        String column = quote(updatedAt);
        return "SELECT " + columns.stream().map(this::quote).collect(Collectors.joining(", "))
                + " FROM " + qualifiedName(table)
                + " WHERE " + (withLowerBound ? column + " >= ? AND " : "") + column + " <= ?"
                + " ORDER BY " + column;
    }

    /** A query that proves the columns are readable without reading a row ({@code ... WHERE 1=0}). */
    default String probeQuery(TableName table, List<String> columns) {
        return "SELECT " + columns.stream().map(this::quote).collect(Collectors.joining(", "))
                + " FROM " + qualifiedName(table) + " WHERE 1=0";
    }

    /** True when the column can be UPDATED_AT: a timestamp, with or without time zone. */
    default boolean isTimestamp(JdbcColumn column) {
        return column.jdbcType() == Types.TIMESTAMP || column.jdbcType() == Types.TIMESTAMP_WITH_TIMEZONE
                || column.typeName().toLowerCase(Locale.ROOT).startsWith("timestamp");
    }

    /** True when the timestamp column carries a zone or offset (converted to UTC) rather than none (read as UTC). */
    default boolean isZoned(JdbcColumn column) {
        String type = column.typeName().toLowerCase(Locale.ROOT);
        return column.jdbcType() == Types.TIMESTAMP_WITH_TIMEZONE || type.equals("timestamptz")
                || type.contains("with time zone") || type.equals("timestamp_tz") || type.equals("timestamp_ltz");
    }

    /**
     * Binds {@code value} to parameter {@code index}, compared with a timestamp column: an
     * {@link OffsetDateTime} in UTC for a zoned column, else a {@link LocalDateTime} holding the UTC wall
     * time, so that neither the JVM's nor the session's time zone shifts it.
     */
    default void bindTimestamp(PreparedStatement statement, int index, Instant value, boolean zoned) throws SQLException {
        if (zoned) {
            statement.setObject(index, value.atOffset(ZoneOffset.UTC));
        } else {
            statement.setObject(index, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    /**
     * Reads a timestamp column as an instant: {@code getObject(i, OffsetDateTime.class)} for a zoned
     * column; a zone-less one is read as a wall time in UTC, whatever the JVM's or session's time zone.
     *
     * @return the instant, or null for SQL NULL
     */
    default Instant readTimestamp(ResultSet resultSet, int index, boolean zoned) throws SQLException {
        if (zoned) {
            OffsetDateTime value = resultSet.getObject(index, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        }
        try {
            LocalDateTime value = resultSet.getObject(index, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        } catch (SQLFeatureNotSupportedException e) {
            // Older drivers: a Timestamp built with a UTC calendar is the same wall time read as UTC.
            java.sql.Timestamp value = resultSet.getTimestamp(index, Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT));
            return value == null ? null : value.toInstant();
        }
    }

    /**
     * Reads PAYLOAD: text and JSON types as a {@link String}; a STRUCT, MAP or other structured value as a
     * {@code Map<String, Object>} of plain JSON values (maps, lists, strings, numbers, booleans). A value that
     * cannot be converted is passed on as is, and the engine reports the row.
     *
     * @return the payload, or null for SQL NULL
     */
    default Object readPayload(ResultSet resultSet, int index, JdbcColumn column) throws SQLException {
        if (PayloadValues.isText(column)) {
            return resultSet.getString(index);
        }
        return PayloadValues.toPayload(resultSet.getObject(index));
    }

    /**
     * Prepares a fresh connection for a streaming read with a fetch size. The default turns autocommit off,
     * which PostgreSQL-family drivers need to use a cursor instead of loading the whole result.
     */
    default void prepareForStreaming(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    /** True when the failure is a unique-key violation (another writer inserted the same key). */
    default boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return e instanceof java.sql.SQLIntegrityConstraintViolationException || (state != null && state.startsWith("23"));
    }

    /** True when the failure is a write conflict with a concurrent transaction (serialization failure). */
    default boolean isWriteConflict(SQLException e) {
        return "40001".equals(e.getSQLState());
    }

    /** The column type for long text (a watermark's JSON), used in {@code CREATE TABLE}. */
    default String textType() {
        return "VARCHAR";
    }

    /** The column type for a point in time with a zone, used in {@code CREATE TABLE}. */
    default String zonedTimestampType() {
        return "TIMESTAMP WITH TIME ZONE";
    }
}
