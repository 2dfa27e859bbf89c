package io.cdisync.core.spi;

import java.util.Optional;

/**
 * Keeps each sync's {@link Watermark}, in the user's own storage (memory, files, a database table).
 *
 * <p>Commits are compare-and-set: a commit names the version it read, and fails with
 * {@link io.cdisync.core.CdiException.ConcurrentRun} when another runner has committed since, so two
 * runners can never both advance one sync. A commit is durable and atomic when it returns: a crash at
 * any instant leaves either the old or the new watermark, never a torn one.
 *
 * <p>Called by the {@code SyncRunner} on the sync's thread, at the start and at each checkpoint.
 * Implementations must be safe for use by several runners (threads or processes) on different sync ids.
 * Contract tests: {@code WatermarkStoreContractTest} in the testkit.
 */
public interface WatermarkStore {
    /**
     * The sync's stored watermark, or empty when it never committed.
     *
     * @throws io.cdisync.core.CdiException.WatermarkStoreFailure when the store cannot be read
     */
    Optional<StoredWatermark> load(String syncId);

    /**
     * Stores {@code watermark} if the stored version is still {@code expectedVersion} (0 when nothing
     * is stored yet).
     *
     * @return the new version
     * @throws io.cdisync.core.CdiException.ConcurrentRun when the stored version differs
     * @throws io.cdisync.core.CdiException.WatermarkStoreFailure when the store cannot be written
     */
    long commit(String syncId, long expectedVersion, Watermark watermark);
}
