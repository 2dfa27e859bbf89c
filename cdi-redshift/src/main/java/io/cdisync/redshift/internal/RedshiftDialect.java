package io.cdisync.redshift.internal;

import io.cdisync.core.jdbc.JdbcColumn;
import io.cdisync.core.jdbc.SqlDialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Redshift through Amazon's driver. Redshift speaks PostgreSQL 8's dialect, so the ANSI defaults hold:
 * double-quoted identifiers, {@code TIMESTAMP} read as UTC and {@code TIMESTAMPTZ} converted
 * (the driver reports them as {@code timestamp}/{@code timestamptz}), and autocommit off so that a fetch
 * size streams through a cursor. What differs:
 * <ul>
 * <li>PAYLOAD as {@code SUPER} is read as its JSON text. The 2.x driver reports SUPER as
 *     {@code LONGNVARCHAR}, but older ones said {@code OTHER}; the type name decides, not the code.
 * <li>Long text is {@code VARCHAR(65535)}: Redshift's plain {@code VARCHAR} holds 256 bytes.
 * </ul>
 */
public final class RedshiftDialect implements SqlDialect {
    /** The one instance; stateless. */
    public static final RedshiftDialect INSTANCE = new RedshiftDialect();

    private RedshiftDialect() {
    }

    @Override
    public String name() {
        return "redshift";
    }

    @Override
    public Object readPayload(ResultSet resultSet, int index, JdbcColumn column) throws SQLException {
        if (column.typeName().toLowerCase(Locale.ROOT).equals("super")) {
            return resultSet.getString(index);
        }
        return SqlDialect.super.readPayload(resultSet, index, column);
    }

    @Override
    public String textType() {
        return "VARCHAR(65535)";
    }

    @Override
    public String toString() {
        return "RedshiftDialect";
    }
}
