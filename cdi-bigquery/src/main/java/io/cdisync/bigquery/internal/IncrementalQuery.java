package io.cdisync.bigquery.internal;

import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The GoogleSQL cdi runs: the CDI columns the table has, bounded by named TIMESTAMP parameters, in
 * UPDATED_AT order. Names come from a validated {@link TableRef} and the table's own schema, backquoted;
 * values only ever travel as parameters.
 */
public final class IncrementalQuery {
    private IncrementalQuery() {
    }

    /** {@code SELECT <columns> FROM <table> [WHERE UPDATED_AT >= @since AND] UPDATED_AT <= @until ORDER BY UPDATED_AT}. */
    public static String sql(TableRef table, TableColumns columns, boolean withSince) {
        String updatedAt = TableRef.column(columns.get(CdiColumn.UPDATED_AT).fieldName());
        return "SELECT " + selectList(columns.selected()) + " FROM " + table.sql() + " WHERE "
                + (withSince ? updatedAt + " >= @since AND " : "") + updatedAt + " <= @until ORDER BY " + updatedAt;
    }

    /** The newest rows first, at most {@code @limit}: what a connection test shows. */
    public static String previewSql(TableRef table, TableColumns columns) {
        String updatedAt = TableRef.column(columns.get(CdiColumn.UPDATED_AT).fieldName());
        return "SELECT " + selectList(columns.selected()) + " FROM " + table.sql() + " ORDER BY " + updatedAt + " DESC LIMIT @limit";
    }

    /** The read's job: named parameters, standard SQL, a server-side timeout and the first page's size. */
    public static QueryJobConfiguration read(TableRef table, TableColumns columns, Instant from, Instant until, long pageSize,
            Duration jobTimeout) {
        QueryJobConfiguration.Builder config = QueryJobConfiguration.newBuilder(sql(table, columns, from != null))
                .setUseLegacySql(false)
                .setJobTimeoutMs(jobTimeout.toMillis())
                .setMaxResults(pageSize);
        if (from != null) {
            // BigQuery keeps microseconds: rows >= from are exactly the rows >= from rounded up to a microsecond.
            config.addNamedParameter("since", QueryParameterValue.timestamp(ceilMicros(from)));
        }
        // ... and rows <= until are exactly the rows <= until rounded down.
        config.addNamedParameter("until", QueryParameterValue.timestamp(floorMicros(until)));
        return config.build();
    }

    /** The preview's job. */
    public static QueryJobConfiguration preview(TableRef table, TableColumns columns, int limit, Duration jobTimeout) {
        return QueryJobConfiguration.newBuilder(previewSql(table, columns))
                .setUseLegacySql(false)
                .setJobTimeoutMs(jobTimeout.toMillis())
                .setMaxResults((long) limit)
                .addNamedParameter("limit", QueryParameterValue.int64((long) limit))
                .build();
    }

    /** A dry run of the read: checks permissions and the SQL without reading a row. */
    public static QueryJobConfiguration dryRun(TableRef table, TableColumns columns, Instant until) {
        return QueryJobConfiguration.newBuilder(sql(table, columns, true))
                .setUseLegacySql(false)
                .setDryRun(true)
                .addNamedParameter("since", QueryParameterValue.timestamp(floorMicros(until)))
                .addNamedParameter("until", QueryParameterValue.timestamp(floorMicros(until)))
                .build();
    }

    private static String selectList(List<TableColumns.Present> selected) {
        return selected.stream().map(p -> TableRef.column(p.fieldName())).collect(Collectors.joining(", "));
    }

    static long floorMicros(Instant instant) {
        // getNano() is never negative, so dropping its sub-microsecond part rounds down, before 1970 too.
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    static long ceilMicros(Instant instant) {
        long floor = floorMicros(instant);
        return instant.getNano() % 1_000 == 0 ? floor : floor + 1;
    }
}
