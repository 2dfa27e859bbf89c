package io.cdisync.bigquery.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A BigQuery table's coordinates, validated so that they can be backquoted into SQL safely: no part may
 * hold a backquote, a backslash or a control character, whatever the user typed.
 *
 * @param project the project that holds the dataset
 * @param dataset the dataset
 * @param table   the table or view
 */
public record TableRef(String project, String dataset, String table) {
    // Project ids: letters, digits, '-', and for legacy domain-scoped projects '.' and ':' (example.com:my-project).
    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]{0,127}");
    // Dataset ids: letters, digits and underscores, at most 1,024 characters.
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
    // Table names: Unicode letters, marks, numbers, connectors (_), dashes and spaces, at most 1,024 characters.
    private static final Pattern TABLE = Pattern.compile("[\\p{L}\\p{M}\\p{N}\\p{Pc}\\p{Pd} ]{1,1024}");
    // A matched CDI column name is ASCII by construction; checked again before it goes into SQL.
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,299}");

    public TableRef {
        project = check("project id", project, PROJECT, "letters, digits, '-', '.' and ':'");
        dataset = check("dataset", dataset, DATASET, "letters, digits and '_'");
        table = check("table", table, TABLE, "letters, digits, '_', '-' and spaces");
    }

    /** The table as {@code `project`.`dataset`.`table`} for GoogleSQL. */
    public String sql() {
        return quote(project) + "." + quote(dataset) + "." + quote(table);
    }

    /** A column name backquoted for GoogleSQL, after checking it is a plain identifier. */
    public static String column(String name) {
        if (name == null || !COLUMN.matcher(name).matches()) {
            throw new IllegalArgumentException("column name '" + name + "' is not a plain identifier");
        }
        return quote(name);
    }

    /** {@code project.dataset.table}, for messages and logs. */
    @Override
    public String toString() {
        return project + "." + dataset + "." + table;
    }

    private static String quote(String part) {
        return "`" + part + "`";
    }

    private static String check(String what, String value, Pattern pattern, String allowed) {
        Objects.requireNonNull(value, what);
        String stripped = value.strip();
        if (!pattern.matcher(stripped).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' is not valid: use " + allowed);
        }
        return stripped;
    }
}
