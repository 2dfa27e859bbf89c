package io.cdisync.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/** Skips the UTF-8 byte order mark that spreadsheet tools put at the start of exported files. */
final class Boms {
    private Boms() {
    }

    /** {@code in} without a leading UTF-8 BOM (EF BB BF), if it had one. */
    static InputStream skipUtf8Bom(InputStream in) throws IOException {
        PushbackInputStream pushback = new PushbackInputStream(in, 3);
        byte[] head = new byte[3];
        int n = 0;
        while (n < 3) {
            int read = pushback.read(head, n, 3 - n);
            if (read < 0) {
                break;
            }
            n += read;
        }
        boolean bom = n == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
        if (!bom && n > 0) {
            pushback.unread(head, 0, n);
        }
        return pushback;
    }
}
