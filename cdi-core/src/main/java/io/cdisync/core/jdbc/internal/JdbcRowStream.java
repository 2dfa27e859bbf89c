package io.cdisync.core.jdbc.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.CdiColumn;
import io.cdisync.core.jdbc.JdbcErrors;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open incremental read: a forward-only result set, consumed {@code batchSize} rows at a time, so
 * memory holds one batch (plus the driver's fetch buffer) whatever the table size.
 *
 * <p>{@link #nextBatch()} runs on the sync's thread. {@link #close()} may come from another thread while a
 * fetch blocks: it then cancels the statement, and the reading thread releases the connection.
 */
public final class JdbcRowStream implements RowStream {
    private static final Logger log = LoggerFactory.getLogger(JdbcRowStream.class);

    private final Connection connection;
    private final boolean restoreAutoCommit;
    private final Statement statement;
    private final ResultSet resultSet;
    private final SourceLayout layout;
    private final SqlDialect dialect;
    private final JdbcErrors errors;
    private final int batchSize;
    private final Consumer<JdbcRowStream> onClose;
    private final Object lock = new Object();
    private boolean reading;
    private boolean closed;
    private boolean released;
    private boolean exhausted;
    private long rowsRead;

    public JdbcRowStream(Connection connection, boolean restoreAutoCommit, Statement statement, ResultSet resultSet,
            SourceLayout layout, SqlDialect dialect, JdbcErrors errors, int batchSize, Consumer<JdbcRowStream> onClose) {
        this.connection = connection;
        this.restoreAutoCommit = restoreAutoCommit;
        this.statement = statement;
        this.resultSet = resultSet;
        this.layout = layout;
        this.dialect = dialect;
        this.errors = errors;
        this.batchSize = batchSize;
        this.onClose = onClose;
    }

    @Override
    public RowBatch nextBatch() {
        synchronized (lock) {
            if (exhausted) {
                return null;
            }
            if (closed) {
                throw new CdiException.Interrupted("the read of " + layout.table() + " was closed", null);
            }
            reading = true;
        }
        try {
            List<SourceRow> rows = new ArrayList<>(Math.min(batchSize, 10_000));
            while (rows.size() < batchSize && resultSet.next()) {
                rows.add(readRow());
            }
            rowsRead += rows.size();
            if (rows.isEmpty()) {
                log.debug("read of {} complete: {} rows", layout.table(), rowsRead);
                synchronized (lock) {
                    exhausted = true;
                    closed = true; // released in the finally block below
                }
                return null;
            }
            return new RowBatch(rows);
        } catch (SQLException e) {
            boolean cancelled;
            synchronized (lock) {
                cancelled = closed;
            }
            if (cancelled) {
                throw new CdiException.Interrupted("the read of " + layout.table() + " was cancelled", errors.sanitized(e));
            }
            throw errors.classify(e, layout.table().toString(), "reading " + layout.table());
        } finally {
            synchronized (lock) {
                reading = false;
                if (closed) {
                    release();
                }
            }
        }
    }

    private SourceRow readRow() throws SQLException {
        SourceRow.Builder row = SourceRow.builder();
        for (var entry : layout.positions().entrySet()) {
            int i = entry.getValue();
            switch (entry.getKey()) {
                case UPDATED_AT -> row.updatedAt(dialect.readTimestamp(resultSet, i, layout.zoned()));
                case EXTERNAL_ID -> row.externalId(resultSet.getString(i));
                case ALIAS_NAME -> row.aliasName(resultSet.getString(i));
                case ALIAS_LABEL -> row.aliasLabel(resultSet.getString(i));
                case BRAZE_ID -> row.brazeId(resultSet.getString(i));
                case EMAIL -> row.email(resultSet.getString(i));
                case PHONE -> row.phone(resultSet.getString(i));
                case ID -> row.id(resultSet.getString(i));
                case DELETED -> {
                    boolean deleted = resultSet.getBoolean(i);
                    row.deleted(resultSet.wasNull() ? null : deleted);
                }
                case PAYLOAD -> row.payload(dialect.readPayload(resultSet, i, layout.columns().get(CdiColumn.PAYLOAD)));
                default -> throw new IllegalStateException("unhandled column " + entry.getKey());
            }
        }
        return row.build();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (!reading) {
                release();
                return;
            }
        }
        // Another thread is blocked in a fetch: cancel it; that thread releases the connection when it returns.
        try {
            statement.cancel();
        } catch (SQLException | RuntimeException e) {
            log.debug("cancelling the read of {} failed: {}", layout.table(), errors.redact(String.valueOf(e.getMessage())));
        }
    }

    /** Closes the JDBC objects once; called with the lock held. */
    private void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            resultSet.close();
        } catch (SQLException | RuntimeException e) {
            log.debug("closing the result set of {} failed", layout.table());
        }
        try {
            statement.close();
        } catch (SQLException | RuntimeException e) {
            log.debug("closing the statement of {} failed", layout.table());
        }
        JdbcConnections.closeQuietly(connection, restoreAutoCommit);
        onClose.accept(this);
    }
}
