package io.cdisync.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for tests: S3Proxy embedded in the test JVM, listening on 127.0.0.1 only, on a free port,
 * checking AWS signatures (V2 and V4) against a fixed test identity.
 *
 * <p>Objects live in memory ({@link #start()}), or in files under a temporary directory ({@link
 * #startOnDisk()}) for large objects that should not sit in the heap. Closing stops the server and deletes that
 * directory.
 */
public final class S3TestServer implements AutoCloseable {
    /** The access key id the server accepts. */
    public static final String ACCESS_KEY_ID = "cdi-test-access-key";
    /** The secret access key the server accepts (a test value, not a secret). */
    public static final String SECRET_ACCESS_KEY = "cdi-test-secret-key";
    /** The region the clients sign for. */
    public static final Region REGION = Region.US_EAST_1;

    private final S3Proxy proxy;
    private final Path directory;
    private final URI endpoint;

    private S3TestServer(BlobStore store, Path directory) throws Exception {
        this.directory = directory;
        this.proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                .stopTimeout(0)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("S3Proxy did not start within 10 s (state " + proxy.getState() + ")");
            }
            Thread.sleep(2);
        }
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** A server keeping objects in memory. */
    public static S3TestServer start() throws Exception {
        return new S3TestServer(new TransientNio2BlobStore(), null);
    }

    /** A server keeping objects as files under a new temporary directory, deleted on {@link #close()}. */
    public static S3TestServer startOnDisk() throws Exception {
        Path directory = Files.createTempDirectory("cdi-s3proxy-");
        try {
            return new S3TestServer(new FilesystemNio2BlobStore(directory.toString()), directory);
        } catch (Exception | Error e) {
            deleteTree(directory);
            throw e;
        }
    }

    /** Where the server listens: {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The directory holding the objects of an {@link #startOnDisk()} server; null for an in-memory one. */
    public Path directory() {
        return directory;
    }

    /** The port the server listens on, on 127.0.0.1. */
    public int port() {
        return endpoint.getPort();
    }

    /** A new client for this server (path-style addressing, static test credentials); the caller closes it. */
    public S3Client client() {
        return S3Client.builder()
                .region(REGION)
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                .build();
    }

    /** Creates {@code bucket}. */
    public void createBucket(String bucket) {
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /** Puts a UTF-8 text object. */
    public void putText(String bucket, String key, String text) {
        putBytes(bucket, key, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts an object holding {@code bytes}. */
    public void putBytes(String bucket, String key, byte[] bytes) {
        try (S3Client s3 = client()) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        }
    }

    /** Puts an object with the content of a local file, streamed (the file is never held in memory whole). */
    public void putFile(String bucket, String key, Path file) {
        try (S3Client s3 = client()) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        }
    }

    /** Stops the server and deletes its directory, if it had one. */
    @Override
    public void close() throws IOException {
        try {
            proxy.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping S3Proxy", e);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("S3Proxy did not stop cleanly", e);
        } finally {
            if (directory != null) {
                deleteTree(directory);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
