package io.cdisync.databricks;

/**
 * Told each time a read or check waits for a starting SQL warehouse, so a host can show it (a progress
 * line, a status in a UI). Called on the sync's thread before the wait; keep it fast. An exception it
 * throws is logged and ignored.
 */
@FunctionalInterface
public interface WarmupListener {
    /** The warehouse is starting; the source waits {@link WarehouseWarmup#retryIn()} and tries again. */
    void onWarmup(WarehouseWarmup warmup);
}
