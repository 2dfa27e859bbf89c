package io.cdisync.core.store;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.Watermark;
import io.cdisync.core.spi.WatermarkStore;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Watermarks in memory, for tests and for hosts that persist nothing. Thread-safe; compare-and-set commits. */
public final class InMemoryWatermarkStore implements WatermarkStore {
    private final ConcurrentHashMap<String, StoredWatermark> watermarks = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredWatermark> load(String syncId) {
        return Optional.ofNullable(watermarks.get(Objects.requireNonNull(syncId, "syncId")));
    }

    @Override
    public long commit(String syncId, long expectedVersion, Watermark watermark) {
        Objects.requireNonNull(syncId, "syncId");
        Objects.requireNonNull(watermark, "watermark");
        StoredWatermark next = new StoredWatermark(watermark, expectedVersion + 1);
        StoredWatermark result = watermarks.compute(syncId, (id, current) -> {
            long currentVersion = current == null ? 0 : current.version();
            return currentVersion == expectedVersion ? next : current;
        });
        if (result != next) {
            throw new CdiException.ConcurrentRun("sync " + syncId + " was advanced by another runner (expected version "
                    + expectedVersion + ", found " + (result == null ? 0 : result.version()) + ")");
        }
        return next.version();
    }

    /** Forgets a sync's watermark, so its next run starts from the beginning. */
    public void reset(String syncId) {
        watermarks.remove(syncId);
    }

    @Override
    public String toString() {
        return "InMemoryWatermarkStore{syncs=" + watermarks.keySet() + "}";
    }
}
