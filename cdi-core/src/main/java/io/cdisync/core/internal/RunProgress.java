package io.cdisync.core.internal;

import io.cdisync.core.spi.Watermark;
import java.time.Instant;

/** A sync's position as a run moves it: what to save at a checkpoint. */
interface RunProgress {
    /** Whether the position moved since it was last saved (or was never saved). */
    boolean changed();

    /** The position to save now. */
    Watermark snapshot();

    /** The snapshot was saved. */
    void saved();

    /** The UPDATED_AT watermark the run started from, or null (first run, or not a table). */
    Instant startInstant();

    /** The UPDATED_AT watermark last saved, or null (none yet, or not a table). */
    Instant committedInstant();
}
