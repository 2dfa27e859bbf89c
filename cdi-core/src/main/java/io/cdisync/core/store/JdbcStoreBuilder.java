package io.cdisync.core.store;

import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.SqlDialect;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The settings every JDBC store's builder has: where connections come from and the database's dialect. The
 * builders of {@link JdbcWatermarkStore}, and of the operating layer's JDBC integration store and run log,
 * extend it with their own tables and options, so these settings read and fail the same way in each.
 *
 * @param <B> the concrete builder, returned by every setter so that calls chain
 */
public abstract class JdbcStoreBuilder<B extends JdbcStoreBuilder<B>> {
    private ConnectionFactory connections;
    private SqlDialect dialect = SqlDialect.standard();

    /** For subclasses. */
    protected JdbcStoreBuilder() {
    }

    /** This builder, as its concrete type. */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Where connections come from (required, or {@link #dataSource}). */
    public B connectionFactory(ConnectionFactory connections) {
        this.connections = Objects.requireNonNull(connections, "connectionFactory");
        return self();
    }

    /** Connections from a (pooled) data source; same as {@code connectionFactory(ConnectionFactory.of(dataSource))}. */
    public B dataSource(DataSource dataSource) {
        return connectionFactory(ConnectionFactory.of(dataSource));
    }

    /** The database's dialect (default {@link SqlDialect#standard()}). */
    public B dialect(SqlDialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        return self();
    }

    /**
     * The connection factory, for {@code build()}.
     *
     * @throws IllegalStateException when no connection factory (or data source) is set
     */
    protected final ConnectionFactory connections() {
        if (connections == null) {
            throw new IllegalStateException("connectionFactory (or dataSource) is required");
        }
        return connections;
    }

    /** The dialect, for {@code build()}. */
    protected final SqlDialect dialect() {
        return dialect;
    }
}
