package io.cdisync.testkit;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.Watermark;
import io.cdisync.core.spi.WatermarkStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WatermarkStore} that "dies" after a number of commits: later commits fail with
 * {@link CdiException.WatermarkStoreFailure} and persist nothing, as if the process had been killed right
 * after its last durable checkpoint. Wrap a real store, run a sync (it ends in error), then rerun over the
 * real store to test resume-after-crash without a child process.
 */
public final class DyingWatermarkStore implements WatermarkStore {
    private final WatermarkStore delegate;
    private final AtomicInteger commitsLeft;

    private DyingWatermarkStore(WatermarkStore delegate, int commits) {
        this.delegate = delegate;
        this.commitsLeft = new AtomicInteger(commits);
    }

    /** Lets {@code commits} commits through to {@code delegate}, then fails every later one. */
    public static DyingWatermarkStore dyingAfter(int commits, WatermarkStore delegate) {
        if (commits < 0) {
            throw new IllegalArgumentException("commits must not be negative, was " + commits);
        }
        return new DyingWatermarkStore(delegate, commits);
    }

    @Override
    public Optional<StoredWatermark> load(String syncId) {
        return delegate.load(syncId);
    }

    @Override
    public long commit(String syncId, long expectedVersion, Watermark watermark) {
        if (commitsLeft.getAndDecrement() <= 0) {
            throw new CdiException.WatermarkStoreFailure("simulated crash: the store died after its last allowed commit", null);
        }
        return delegate.commit(syncId, expectedVersion, watermark);
    }
}
