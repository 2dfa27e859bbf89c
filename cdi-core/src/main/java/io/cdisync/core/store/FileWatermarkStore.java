package io.cdisync.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.CdiException;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.Watermark;
import io.cdisync.core.spi.WatermarkCodec;
import io.cdisync.core.spi.WatermarkStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Watermarks as one JSON file per sync in a directory.
 *
 * <p>A commit writes a temporary file, forces it to disk, renames it over the old file atomically and
 * forces the directory: a crash (even {@code kill -9} or power loss) leaves the old or the new file,
 * never a torn one. Compare-and-set holds across processes through a lock file, so several processes
 * on one machine can share the directory.
 */
public final class FileWatermarkStore implements WatermarkStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /**
     * One monitor per lock file within this JVM: file locks are held per process, and a second lock on
     * the same file from another thread throws instead of waiting.
     */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path directory;

    /** A store in {@code directory}, created when first written. */
    public FileWatermarkStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    }

    @Override
    public Optional<StoredWatermark> load(String syncId) {
        Path file = file(syncId);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CdiException.WatermarkStoreFailure("cannot read watermark file " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode root = JSON.readTree(text);
            long version = root.path("version").asLong(0);
            Watermark watermark = WatermarkCodec.decode(root.path("watermark").toString());
            return Optional.of(new StoredWatermark(watermark, version));
        } catch (IOException | IllegalArgumentException e) {
            throw new CdiException.WatermarkStoreFailure("watermark file " + file + " is not a valid watermark ("
                    + e.getMessage() + "); restore it from a backup or delete it to start the sync over", e);
        }
    }

    @Override
    public long commit(String syncId, long expectedVersion, Watermark watermark) {
        Objects.requireNonNull(watermark, "watermark");
        Path file = file(syncId);
        Path lockFile = directory.resolve(syncId + ".lock");
        synchronized (MONITORS.computeIfAbsent(lockFile, p -> new Object())) {
            try {
                Files.createDirectories(directory);
                try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = lockChannel.lock()) {
                    long current = load(syncId).map(StoredWatermark::version).orElse(0L);
                    if (current != expectedVersion) {
                        throw new CdiException.ConcurrentRun("sync " + syncId + " was advanced by another runner (expected"
                                + " version " + expectedVersion + ", found " + current + " in " + file + ")");
                    }
                    long next = expectedVersion + 1;
                    ObjectNode root = JSON.createObjectNode();
                    root.put("version", next);
                    root.set("watermark", JSON.readTree(WatermarkCodec.encode(watermark)));
                    writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                    return next;
                }
            } catch (IOException e) {
                throw new CdiException.WatermarkStoreFailure("cannot write watermark file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The directory holding the files. */
    public Path directory() {
        return directory;
    }

    @Override
    public String toString() {
        return "FileWatermarkStore{" + directory + "}";
    }

    private void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory + " cannot rename atomically; use another directory", e);
            }
            forceDirectory();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename itself is still atomic.
        }
    }

    private Path file(String syncId) {
        Objects.requireNonNull(syncId, "syncId");
        if (!SAFE_ID.matcher(syncId).matches()) {
            throw new IllegalArgumentException("syncId '" + syncId + "' is not a safe file name");
        }
        return directory.resolve(syncId + ".json");
    }
}
