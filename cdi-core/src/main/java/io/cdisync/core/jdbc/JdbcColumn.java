package io.cdisync.core.jdbc;

import java.util.Objects;

/**
 * A column as {@link java.sql.DatabaseMetaData#getColumns} describes it; what a {@link SqlDialect} needs
 * to decide how to bind and read it.
 *
 * @param name     the column's name, exactly as the database stores it
 * @param jdbcType the {@link java.sql.Types} code the driver reports
 * @param typeName the database's own type name (e.g. {@code timestamptz}, {@code STRUCT(a INTEGER)})
 */
public record JdbcColumn(String name, int jdbcType, String typeName) {
    public JdbcColumn {
        Objects.requireNonNull(name, "name");
        typeName = typeName == null ? "" : typeName;
    }
}
