package io.cdisync.core.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The right to run one sync, held by one worker until it expires: taken with
 * {@link JdbcWatermarkStore#acquireLease}, kept alive with {@link #renew()}, given back with
 * {@link #release()} (or {@link #close()}, for try-with-resources).
 *
 * <pre>{@code
 * try (SyncLease lease = store.acquireLease("users", workerId, Duration.ofMinutes(5))) {
 *     runner.run();   // renew() from a timer if a run may outlast the lease
 * }
 * }</pre>
 *
 * <p>A lease is advisory: it keeps a fleet of workers from starting the same sync twice; the store's
 * compare-and-set commits still refuse a stale runner whatever happens to leases. Thread-safe; each
 * method blocks on one short database statement.
 */
public final class SyncLease implements AutoCloseable {
    private final JdbcWatermarkStore store;
    private final String syncId;
    private final String owner;
    private final Duration ttl;
    private volatile Instant expiresAt;
    private volatile boolean released;

    SyncLease(JdbcWatermarkStore store, String syncId, String owner, Duration ttl, Instant expiresAt) {
        this.store = Objects.requireNonNull(store, "store");
        this.syncId = syncId;
        this.owner = owner;
        this.ttl = ttl;
        this.expiresAt = expiresAt;
    }

    /** The sync this lease is for. */
    public String syncId() {
        return syncId;
    }

    /** Who holds it. */
    public String owner() {
        return owner;
    }

    /** When it expires unless renewed (by the store's clock). */
    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * Extends the lease to the store clock's now plus its time to live.
     *
     * @return the new expiry
     * @throws io.cdisync.core.CdiException.ConcurrentRun when another owner has taken the lease over (it
     *         expired first): stop running the sync
     * @throws io.cdisync.core.CdiException.WatermarkStoreFailure when the store cannot be written
     * @throws IllegalStateException when the lease was released
     */
    public synchronized Instant renew() {
        if (released) {
            throw new IllegalStateException("the lease of sync " + syncId + " was released");
        }
        expiresAt = store.renewLease(syncId, owner, ttl);
        return expiresAt;
    }

    /**
     * Gives the lease back so another worker may run the sync at once; nothing happens when it was already
     * released or taken over.
     *
     * @throws io.cdisync.core.CdiException.WatermarkStoreFailure when the store cannot be written
     */
    public synchronized void release() {
        if (!released) {
            store.releaseLease(syncId, owner);
            released = true;
        }
    }

    /** Same as {@link #release()}. */
    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        return "SyncLease{" + syncId + ", owner=" + owner + ", expiresAt=" + expiresAt + (released ? ", released" : "") + "}";
    }
}
