package io.cdisync.s3.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines ({@code \n} or {@code \r\n}) with a bounded buffer: a line longer than the
 * limit is reported as {@link #TOO_LONG} and the rest of it is read past without being kept. A UTF-8 BOM at the
 * start of the stream is skipped. After {@link #LINE}, the line is {@code buffer()[start() .. start()+length())}
 * until the next call.
 */
final class LineSource {
    static final int END = -1;
    static final int LINE = 0;
    static final int TOO_LONG = 1;

    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final int capacityLimit;
    private byte[] buffer;
    private int pos;
    private int limit;
    private int scanned;
    private boolean eof;
    private boolean started;
    private long lineNumber;
    private int start;
    private int length;

    LineSource(InputStream in, int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1, was " + maxLineBytes);
        }
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        // Room for the longest allowed line, its \r, and one byte more to tell "too long" without a newline.
        this.capacityLimit = (int) Math.min(Integer.MAX_VALUE - 8L, maxLineBytes + 2L);
        this.buffer = new byte[Math.min(CHUNK, capacityLimit)];
    }

    /** Advances to the next physical line: {@link #LINE}, {@link #TOO_LONG} or {@link #END}. */
    int next() throws IOException {
        if (!started) {
            started = true;
            skipBom();
        }
        while (true) {
            for (int i = scanned; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > pos && buffer[i - 1] == '\r' ? i - 1 : i;
                    return take(end, i + 1);
                }
            }
            scanned = limit;
            if (eof) {
                if (pos == limit) {
                    return END;
                }
                int end = buffer[limit - 1] == '\r' ? limit - 1 : limit;
                return take(end, limit);
            }
            if (limit - pos >= capacityLimit) {
                lineNumber++;
                skipRestOfLine();
                return TOO_LONG;
            }
            fill();
        }
    }

    /** The number of the line last returned, 1-based. */
    long lineNumber() {
        return lineNumber;
    }

    byte[] buffer() {
        return buffer;
    }

    int start() {
        return start;
    }

    int length() {
        return length;
    }

    /** Whether the current line holds only JSON whitespace (space, tab, CR). */
    boolean isBlank() {
        for (int i = start, end = start + length; i < end; i++) {
            byte b = buffer[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    int maxLineBytes() {
        return maxLineBytes;
    }

    private int take(int end, int next) {
        lineNumber++;
        start = pos;
        length = end - pos;
        pos = next;
        scanned = next;
        return length > maxLineBytes ? TOO_LONG : LINE;
    }

    /** Makes room after {@code limit} (compacting, then growing up to the cap) and reads once. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            scanned -= pos;
            pos = 0;
        }
        if (limit == buffer.length) {
            int grown = (int) Math.min(capacityLimit, buffer.length * 2L);
            buffer = java.util.Arrays.copyOf(buffer, grown);
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    /** Discards everything up to and including the next newline, a buffer at a time. */
    private void skipRestOfLine() throws IOException {
        pos = 0;
        limit = 0;
        scanned = 0;
        while (true) {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                eof = true;
                return;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    pos = i + 1;
                    limit = n;
                    scanned = pos;
                    return;
                }
            }
        }
    }

    private void skipBom() throws IOException {
        while (limit < 3 && !eof) {
            fill();
        }
        if (limit >= 3 && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) {
            pos = 3;
            scanned = 3;
        }
    }
}
