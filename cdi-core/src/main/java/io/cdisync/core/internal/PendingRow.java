package io.cdisync.core.internal;

import io.cdisync.core.spi.FileChunk;
import io.cdisync.core.spi.SourceRow;
import java.time.Instant;

/**
 * A row read and not yet known done, in read order; once translated, it waits in a lane. For file
 * sources it knows its file and record number, and a marker (no row) ends each file.
 */
final class PendingRow implements Lanes.Row {
    final Instant updatedAt;
    final SourceRow row;
    final long ordinal;
    final FileChunk chunk;
    final long record;
    RowTranslator.Translated translated;
    int weight;
    int kind;
    int bytes;
    Object key;
    boolean done;
    boolean endOfFile;

    PendingRow(Instant updatedAt, SourceRow row, long ordinal, FileChunk chunk, long record) {
        this.updatedAt = updatedAt;
        this.row = row;
        this.ordinal = ordinal;
        this.chunk = chunk;
        this.record = record;
    }

    @Override
    public int laneHash() {
        return translated.laneHash();
    }

    @Override
    public int kind() {
        return kind;
    }

    @Override
    public int bytes() {
        return bytes;
    }

    @Override
    public Object key() {
        return key;
    }

    @Override
    public long order() {
        return ordinal;
    }
}
