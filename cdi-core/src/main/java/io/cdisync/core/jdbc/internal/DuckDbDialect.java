package io.cdisync.core.jdbc.internal;

import io.cdisync.core.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;

/** {@link SqlDialect#duckdb()}. DuckDB's JDBC driver sets no SQLState: errors are told by their message prefix. */
public final class DuckDbDialect implements SqlDialect {
    public static final DuckDbDialect INSTANCE = new DuckDbDialect();

    private DuckDbDialect() {
    }

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public void prepareForStreaming(Connection connection) {
        // DuckDB streams (with jdbc_stream_results=true) whatever the autocommit mode; leave the connection as given.
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        // "Constraint Error: Duplicate key ..." at the statement, or "TransactionContext Error: Failed to commit:
        // PRIMARY KEY or UNIQUE constraint violation: duplicate key ..." when two transactions insert the same key.
        String message = e.getMessage();
        return SqlDialect.super.isUniqueViolation(e)
                || (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("duplicate key"));
    }

    @Override
    public boolean isWriteConflict(SQLException e) {
        // "TransactionContext Error: Conflict on update!" (optimistic concurrency: another connection wrote the row).
        String message = e.getMessage();
        return SqlDialect.super.isWriteConflict(e) || (message != null && message.contains("Conflict on"));
    }

    @Override
    public String toString() {
        return "SqlDialect.duckdb()";
    }
}
