package io.cdisync.core.jdbc.internal;

import io.cdisync.core.jdbc.SqlDialect;

/** {@link SqlDialect#standard()}: the interface's defaults. */
public final class StandardDialect implements SqlDialect {
    public static final StandardDialect INSTANCE = new StandardDialect();

    private StandardDialect() {
    }

    @Override
    public String toString() {
        return "SqlDialect.standard()";
    }
}
