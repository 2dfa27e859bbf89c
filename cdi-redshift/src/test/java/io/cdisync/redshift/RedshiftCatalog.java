package io.cdisync.redshift;

import io.cdisync.core.jdbc.PostgresServer;

/**
 * The parts of Redshift's catalog that Amazon's driver queries, recreated in the test PostgreSQL so that the
 * driver's own metadata calls run unchanged:
 * <ul>
 * <li>{@code svv_columns}, which {@code DatabaseMetaData.getColumns} reads when no schema is given: a view over
 *     {@code pg_catalog} with Redshift's column names and type spellings ({@code timestamp without time zone},
 *     {@code character varying}...), and the {@code is_autoincrement} column the driver's query refers to by
 *     the alias that Redshift, unlike PostgreSQL, lets a select list reuse.
 * <li>a type named {@code super} (a domain over text), so that a PAYLOAD column looks to the driver as a
 *     SUPER column does: type name {@code super}, JDBC type {@code LONGNVARCHAR}.
 * </ul>
 * The views live in a schema {@code redshift_catalog} on the database's search path.
 *
 * <p>What cannot be recreated: the driver's schema-qualified metadata queries and its table listing use
 * syntax PostgreSQL rejects (a subquery without an alias, select-list aliases reused, Redshift functions),
 * so these tests name tables without a schema, and a missing table's message is not the one Redshift gives.
 */
final class RedshiftCatalog {
    static final String SCHEMA = "redshift_catalog";

    private RedshiftCatalog() {
    }

    /** Creates the catalog views in the database {@code cdi}; run before any session through the relay opens. */
    static void install(PostgresServer pg) {
        pg.execute(
                "CREATE SCHEMA IF NOT EXISTS " + SCHEMA,
                "CREATE OR REPLACE VIEW " + SCHEMA + ".svv_columns AS"
                        + " SELECT current_database()::text AS table_catalog, n.nspname::text AS table_schema,"
                        + " c.relname::text AS table_name, a.attname::text AS column_name, a.attnum::int AS ordinal_position,"
                        + " pg_get_expr(d.adbin, d.adrelid) AS column_default,"
                        + " CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END::text AS is_nullable,"
                        + " format_type(a.atttypid, NULL) AS data_type,"
                        + " CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod > 0 THEN a.atttypmod - 4 END AS character_maximum_length,"
                        + " NULL::int AS numeric_precision, NULL::int AS numeric_scale, NULL::text AS domain_name,"
                        + " NULL::text AS remarks, 'NO'::text AS is_autoincrement"
                        + " FROM pg_catalog.pg_attribute a"
                        + " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                        + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'm', 'p', 'f')"
                        + " AND n.nspname NOT IN ('pg_catalog', 'information_schema', '" + SCHEMA + "')"
                        + " AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'",
                "GRANT USAGE ON SCHEMA " + SCHEMA + " TO PUBLIC",
                "GRANT SELECT ON ALL TABLES IN SCHEMA " + SCHEMA + " TO PUBLIC",
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_type WHERE typname = 'super') THEN"
                        + " CREATE DOMAIN public.super AS text; END IF; END $$",
                "ALTER DATABASE cdi SET search_path = \"$user\", public, " + SCHEMA);
    }
}
