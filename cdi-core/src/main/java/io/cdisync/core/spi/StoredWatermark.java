package io.cdisync.core.spi;

import java.util.Objects;

/**
 * A watermark as loaded from a store, with the version to hand back to
 * {@link WatermarkStore#commit(String, long, Watermark)}.
 *
 * @param watermark the position
 * @param version   the store's version of it; starts at 1 and grows with each commit
 */
public record StoredWatermark(Watermark watermark, long version) {
    public StoredWatermark {
        Objects.requireNonNull(watermark, "watermark");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
    }
}
