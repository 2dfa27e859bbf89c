package io.cdisync.core.spi;

/**
 * An open read of a source, consumed by the engine batch by batch on one thread.
 *
 * <p>{@link #close()} releases the cursor and its connection; the engine always calls it, also after
 * a failure, and may call it from another thread to cancel a read blocked in {@link #nextBatch()}.
 */
public interface RowStream extends AutoCloseable {
    /**
     * The next batch, blocking while the source fetches it; null when the read is complete.
     *
     * @throws io.cdisync.core.CdiException when the source fails (connection lost, permission revoked...)
     */
    RowBatch nextBatch();

    @Override
    void close();
}
