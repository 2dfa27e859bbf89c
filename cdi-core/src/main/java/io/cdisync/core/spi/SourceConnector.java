package io.cdisync.core.spi;

/**
 * Reads a CDI source table (or files) from a position. The connector says <em>what</em> to read and
 * how to read it; the {@code SyncRunner} owns threads, identifiers, batching, Braze, retries and
 * checkpoints.
 *
 * <p>Implementations map their driver's failures to {@link io.cdisync.core.CdiException} subclasses
 * ({@code ConnectionFailed}, {@code AccessDenied}, {@code ConfigurationError}) with a message that says
 * what to fix, and never put credentials in messages.
 */
public interface SourceConnector extends AutoCloseable {
    /**
     * Opens a read of the rows the request describes, in UPDATED_AT order. Called by the engine on the
     * sync's thread; may block while connecting.
     */
    RowStream read(ReadRequest request);

    /**
     * The position a new sync starts from, for sources that are not tables. Table sources (the default)
     * return null: their position is the UPDATED_AT watermark, and a new sync reads every row. File sources
     * return a {@link FileLedger}, e.g. {@code FileLedger.startingAt(createdAt)} to take only files added
     * from now on, or {@code FileLedger.startingAt(null)} to backfill. The engine saves it on the first run,
     * so "added after the sync was created" keeps its meaning across runs.
     *
     * @param createdAt when the sync is being created (the start of its first run)
     */
    default Watermark initialPosition(java.time.Instant createdAt) {
        return null;
    }

    /**
     * Checks that the source is reachable and readable and has the columns the data type needs, without
     * reading rows. The default does nothing; connectors override it with a real test.
     *
     * @throws io.cdisync.core.CdiException with a message that says how to fix the problem
     */
    default void check() {
    }

    /** A short description for logs and reports (e.g. {@code "postgres table ingestion.users"}); no secrets. */
    default String describe() {
        return getClass().getSimpleName();
    }

    /** Releases the connector's resources. May be called from any thread. */
    @Override
    default void close() {
    }
}
