package io.cdisync.core.spi;

/**
 * Where a sync got to, as a {@link WatermarkStore} keeps it. A typed value: tables keep a
 * {@link TableWatermark}, file sources a {@link FileLedger}; never an untyped map.
 * {@link WatermarkCodec} turns any watermark into text and back for stores that persist it.
 */
public sealed interface Watermark permits TableWatermark, FileLedger {
}
