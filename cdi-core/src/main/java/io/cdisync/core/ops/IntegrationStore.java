package io.cdisync.core.ops;

/**
 * Keeps the {@link IntegrationSnapshot} of an {@link Integrations} service: in memory
 * ({@link InMemoryIntegrationStore}), in a file ({@link FileIntegrationStore}) or in a database table
 * ({@link JdbcIntegrationStore}), or in the host's own storage.
 *
 * <p>Commits are compare-and-set on the snapshot's version, like a {@link io.cdisync.core.spi.WatermarkStore}'s:
 * a commit that names a stale version fails with {@link OpsException.ConcurrentChange} and changes nothing,
 * so two writers (threads or processes) cannot both apply a change checked against the same state. A
 * commit is durable and atomic when it returns. Implementations persisting secrets should seal them
 * ({@link SecretSealer}).
 *
 * <p>Called by {@link Integrations} on the caller's thread; methods may block on I/O. Implementations
 * must be thread-safe.
 */
public interface IntegrationStore {
    /**
     * The current snapshot; {@link IntegrationSnapshot#EMPTY} when nothing was stored.
     *
     * @throws OpsException.StoreFailure when the store cannot be read
     */
    IntegrationSnapshot load();

    /**
     * Stores {@code next} if the stored version is still {@code expectedVersion}.
     *
     * @return the new version ({@code expectedVersion + 1})
     * @throws OpsException.ConcurrentChange when the stored version differs
     * @throws OpsException.StoreFailure     when the store cannot be written
     */
    long commit(long expectedVersion, IntegrationSnapshot next);
}
