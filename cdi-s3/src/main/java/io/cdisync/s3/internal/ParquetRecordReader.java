package io.cdisync.s3.internal;

import io.cdisync.core.spi.SourceRow;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Reads a local Parquet file through DuckDB (an in-memory database per file, streamed results), row by row in
 * file order.
 *
 * <p>DuckDB does the type work: identifiers of any type come back as text, a STRUCT, MAP or LIST PAYLOAD as JSON
 * text ({@code to_json}), a TIMESTAMP UPDATED_AT as microseconds since the epoch (a zone-less TIMESTAMP taken as
 * UTC). DuckDB is an optional dependency of this module: without it, opening a file says which one to add.
 */
public final class ParquetRecordReader implements RecordReader {
    private static final String DRIVER = "org.duckdb.DuckDBDriver";
    private static final int FETCH_SIZE = 2048;

    private enum Kind { TEXT, BOOLEAN, EPOCH_MICROS }

    private final String fileKey;
    private final Instant fileTime;
    private final List<String> header;
    private final Column[] columns;
    private final Kind[] kinds;
    private final Connection connection;
    private final Statement statement;
    private final ResultSet results;
    private final RecordFields fields = new RecordFields();
    private long rowNumber;

    ParquetRecordReader(String fileKey, Path file, Instant fileTime) throws IOException {
        this.fileKey = fileKey;
        this.fileTime = fileTime;
        try {
            Class.forName(DRIVER);
        } catch (ClassNotFoundException e) {
            throw new IOException("Reading Parquet files needs DuckDB: add the dependency org.duckdb:duckdb_jdbc to your build", e);
        }
        String source = "read_parquet('" + file.toAbsolutePath().toString().replace("'", "''") + "')";
        Properties properties = new Properties();
        // Without it the driver materializes the whole result before the first row.
        properties.setProperty("jdbc_stream_results", "true");
        Connection opened = null;
        try {
            opened = DriverManager.getConnection("jdbc:duckdb:", properties);
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            try (Statement describe = opened.createStatement();
                    ResultSet rs = describe.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (rs.next()) {
                    names.add(rs.getString("column_name"));
                    types.add(rs.getString("column_type"));
                }
            } catch (SQLException e) {
                throw new UnreadableFileException(fileKey + " is not a readable Parquet file: " + firstLine(e), e);
            }
            this.header = List.copyOf(names);
            List<Column> selected = new ArrayList<>();
            List<Kind> selectedKinds = new ArrayList<>();
            StringBuilder sql = new StringBuilder("SELECT ");
            boolean[] seen = new boolean[Column.values().length];
            for (int i = 0; i < names.size(); i++) {
                Column column = Column.of(names.get(i));
                if (column == null || seen[column.ordinal()]) {
                    continue;
                }
                seen[column.ordinal()] = true;
                String quoted = '"' + names.get(i).replace("\"", "\"\"") + '"';
                String type = types.get(i).toUpperCase(Locale.ROOT);
                Kind kind = Kind.TEXT;
                String expression = quoted + "::VARCHAR";
                if (column == Column.PAYLOAD && (type.startsWith("STRUCT") || type.startsWith("MAP") || type.endsWith("]"))) {
                    expression = "to_json(" + quoted + ")::VARCHAR";
                } else if (column == Column.UPDATED_AT && type.startsWith("TIMESTAMP")) {
                    kind = Kind.EPOCH_MICROS;
                    expression = "epoch_us(" + quoted + ")";
                } else if (column == Column.DELETED && type.equals("BOOLEAN")) {
                    kind = Kind.BOOLEAN;
                    expression = quoted;
                }
                sql.append(selected.isEmpty() ? "" : ", ").append(expression);
                selected.add(column);
                selectedKinds.add(kind);
            }
            if (selected.isEmpty()) {
                sql.append("1"); // Still one row per record, so row numbers and counts hold.
            }
            this.columns = selected.toArray(new Column[0]);
            this.kinds = selectedKinds.toArray(new Kind[0]);
            this.statement = opened.createStatement();
            statement.setFetchSize(FETCH_SIZE);
            try {
                this.results = statement.executeQuery(sql.append(" FROM ").append(source).toString());
            } catch (SQLException e) {
                throw new UnreadableFileException(fileKey + " is not a readable Parquet file: " + firstLine(e), e);
            }
            this.connection = opened;
        } catch (SQLException e) {
            closeQuietly(opened, e);
            throw new IOException(fileKey + ": DuckDB failed to open the Parquet file: " + firstLine(e), e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(opened, e);
            throw e;
        }
    }

    /** The file's column names in order, as the file spells them. */
    public List<String> header() {
        return header;
    }

    @Override
    public SourceRow next() throws IOException {
        try {
            if (!results.next()) {
                return null;
            }
            rowNumber++;
            fields.reset();
            for (int i = 0; i < columns.length; i++) {
                int index = i + 1;
                switch (kinds[i]) {
                    case TEXT -> fields.text(columns[i], results.getString(index));
                    case BOOLEAN -> {
                        Object value = results.getObject(index);
                        if (value != null) {
                            fields.deleted((Boolean) value);
                        }
                    }
                    case EPOCH_MICROS -> {
                        long micros = results.getLong(index);
                        if (!results.wasNull()) {
                            fields.updatedAt(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                                    Math.floorMod(micros, 1_000_000L) * 1_000L));
                        }
                    }
                }
            }
            return fields.toRow(fileKey + "#" + rowNumber, fileTime);
        } catch (SQLException e) {
            throw new IOException(fileKey + ": reading row " + (rowNumber + 1) + " of the Parquet file failed: " + firstLine(e), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            try {
                results.close();
            } finally {
                try {
                    statement.close();
                } finally {
                    connection.close();
                }
            }
        } catch (SQLException e) {
            throw new IOException(fileKey + ": closing DuckDB failed: " + firstLine(e), e);
        }
    }

    private static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
