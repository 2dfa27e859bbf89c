package io.cdisync.core.jdbc.internal;

import io.cdisync.core.jdbc.SqlDialect;
import java.sql.SQLException;

/** {@link SqlDialect#postgres()}. */
public final class PostgresDialect implements SqlDialect {
    public static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @Override
    public boolean isWriteConflict(SQLException e) {
        // serialization_failure, deadlock_detected
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    @Override
    public String textType() {
        return "TEXT";
    }

    @Override
    public String toString() {
        return "SqlDialect.postgres()";
    }
}
