package io.cdisync.s3.internal;

import java.io.IOException;

/**
 * A file whose content cannot be read at all — not a Parquet file, a CSV header that is not valid CSV — as
 * opposed to an I/O failure that a retry may cure. The message names the file and the reason, never its content.
 */
public final class UnreadableFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A file that cannot be read, for {@code reason}, with the parser's or driver's exception as the cause. */
    public UnreadableFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
