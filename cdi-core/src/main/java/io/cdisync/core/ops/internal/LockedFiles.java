package io.cdisync.core.ops.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * File primitives of the file stores, with the care of {@code FileWatermarkStore}: work under a lock
 * file (held across processes, and one monitor per lock file within this JVM, since a second
 * {@link FileLock} on the same file from this process throws instead of waiting); whole-file writes
 * through a temporary file, fsync and an atomic rename, so a crash leaves the old or the new file; appends
 * forced to disk before they return.
 */
public final class LockedFiles {
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private LockedFiles() {
    }

    /** Work done while holding a lock. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} holding {@code lockFile} (created with its directory if missing). */
    public static <T> T locked(Path lockFile, Work<T> work) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        synchronized (MONITORS.computeIfAbsent(key, p -> new Object())) {
            Files.createDirectories(key.getParent());
            try (FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return work.run();
            }
        }
    }

    /** Replaces {@code file} with {@code bytes} atomically and durably. Call while holding the lock. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(channel, bytes);
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory + " cannot rename atomically; use another directory", e);
            }
            forceDirectory(directory);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Appends {@code bytes} (whole lines) to {@code file} and forces them to disk. Call while holding the lock.
     * A crash mid-append can leave a torn last line, which readers skip.
     */
    public static void append(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            channel.position(channel.size());
            if (channel.size() > 0) {
                // A torn line from a crash must not glue itself to this append: start on a fresh line.
                ByteBuffer last = ByteBuffer.allocate(1);
                channel.read(last, channel.size() - 1);
                if (last.get(0) != '\n') {
                    writeFully(channel, new byte[] {'\n'});
                }
            }
            writeFully(channel, bytes);
            channel.force(false);
        }
    }

    private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename itself is still atomic.
        }
    }
}
