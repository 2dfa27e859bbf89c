package io.cdisync.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.ops.internal.LockedFiles;
import io.cdisync.core.ops.internal.OpsJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Integrations and credentials in one JSON file, {@code integrations.json} in a directory.
 *
 * <p>A commit writes a temporary file (readable by its owner only, on POSIX systems), forces it to disk
 * and renames it over the old one atomically, under a lock file held across processes: a crash leaves
 * the old or the new file, and compare-and-set holds between processes sharing the directory. Secrets
 * are written through the {@link SecretSealer} (plain text unless one with a key is given). Thread-safe.
 */
public final class FileIntegrationStore implements IntegrationStore {
    private final Path directory;
    private final Path file;
    private final Path lock;
    private final SecretSealer sealer;

    /** A store in {@code directory} with secrets in plain text (protect the directory). */
    public FileIntegrationStore(Path directory) {
        this(directory, SecretSealer.plaintext());
    }

    /** A store in {@code directory} with secrets sealed by {@code sealer}. */
    public FileIntegrationStore(Path directory, SecretSealer sealer) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        this.file = this.directory.resolve("integrations.json");
        this.lock = this.directory.resolve("integrations.lock");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
    }

    @Override
    public IntegrationSnapshot load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return IntegrationSnapshot.EMPTY;
        } catch (IOException e) {
            throw new OpsException.StoreFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode root = OpsJson.parse(text);
            return OpsJson.snapshot(root.path("snapshot"), root.path("version").asLong(0), sealer);
        } catch (OpsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OpsException.StoreFailure(file + " is not a valid integrations file (" + e.getMessage()
                    + "); restore it from a backup", e);
        }
    }

    @Override
    public long commit(long expectedVersion, IntegrationSnapshot next) {
        Objects.requireNonNull(next, "next");
        try {
            return LockedFiles.locked(lock, () -> {
                long current = load().version();
                if (current != expectedVersion) {
                    throw new OpsException.ConcurrentChange("the integrations in " + file + " were changed by another writer"
                            + " (expected version " + expectedVersion + ", found " + current + ")");
                }
                ObjectNode root = OpsJson.JSON.createObjectNode();
                root.put("version", expectedVersion + 1);
                root.set("snapshot", OpsJson.snapshot(next, sealer));
                LockedFiles.writeAtomically(file, OpsJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                return expectedVersion + 1;
            });
        } catch (IOException e) {
            throw new OpsException.StoreFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The directory holding the file. */
    public Path directory() {
        return directory;
    }

    @Override
    public String toString() {
        return "FileIntegrationStore{" + file + "}";
    }
}
