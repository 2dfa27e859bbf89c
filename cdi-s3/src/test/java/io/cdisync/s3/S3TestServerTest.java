package io.cdisync.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

class S3TestServerTest {

    @Test
    void createPutListInPagesGetAndDelete() throws Exception {
        long started = System.nanoTime();
        try (S3TestServer server = S3TestServer.start(); S3Client s3 = server.client()) {
            assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
            server.createBucket("exports");
            for (int i = 0; i < 7; i++) {
                server.putText("exports", "users/part-" + i + ".json", "{\"external_id\":\"u" + i + "\"}\n");
            }
            server.putText("exports", "other/skip.csv", "EXTERNAL_ID\nu9\n");

            List<String> keys = new ArrayList<>();
            int pages = 0;
            String token = null;
            do {
                String continuation = token;
                ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket("exports").prefix("users/").maxKeys(3)
                        .continuationToken(continuation));
                pages++;
                assertThat(page.contents()).hasSizeLessThanOrEqualTo(3);
                page.contents().stream().map(S3Object::key).forEach(keys::add);
                token = page.isTruncated() ? page.nextContinuationToken() : null;
            } while (token != null);
            assertThat(pages).isEqualTo(3);
            assertThat(keys).hasSize(7).isSorted().allMatch(k -> k.startsWith("users/part-"));
            assertThat(s3.listObjectsV2Paginator(b -> b.bucket("exports").maxKeys(2)).contents().stream().count()).isEqualTo(8);

            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket("exports").key("users/part-4.json"));
            assertThat(object.asUtf8String()).isEqualTo("{\"external_id\":\"u4\"}\n");
            assertThat(object.response().lastModified()).isNotNull();
            assertThat(object.response().contentLength()).isEqualTo(21L);

            s3.deleteObject(b -> b.bucket("exports").key("users/part-4.json"));
            assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("exports").key("users/part-4.json")))
                    .isInstanceOf(NoSuchKeyException.class);
            assertThat(s3.listObjectsV2(b -> b.bucket("exports").prefix("users/")).keyCount()).isEqualTo(6);
        }
        assertThat((System.nanoTime() - started) / 1_000_000).as("start, work and stop in ms").isLessThan(10_000);
    }

    @Test
    void wrongCredentialsAreRejected() throws Exception {
        try (S3TestServer server = S3TestServer.start();
                S3Client s3 = S3Client.builder().region(S3TestServer.REGION).endpointOverride(server.endpoint())
                        .forcePathStyle(true)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                S3TestServer.ACCESS_KEY_ID, "not-the-secret")))
                        .build()) {
            server.createBucket("locked");
            assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("locked")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    @Test
    void onDiskStoreKeepsFilesAndRemovesItsDirectoryOnClose(@TempDir Path temp) throws Exception {
        Path file = temp.resolve("big.ndjson");
        byte[] line = "{\"external_id\":\"u\",\"payload\":{\"a\":1}}\n".getBytes(StandardCharsets.UTF_8);
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < 20_000; i++) {
                out.write(line);
            }
        }
        Path directory;
        try (S3TestServer server = S3TestServer.startOnDisk(); S3Client s3 = server.client()) {
            directory = server.directory();
            server.createBucket("big");
            server.putFile("big", "in/big.ndjson", file);
            server.putBytes("big", "in/tiny.bin", new byte[] {1, 2, 3});
            assertThat(s3.headObject(b -> b.bucket("big").key("in/big.ndjson")).contentLength()).isEqualTo(Files.size(file));
            try (var in = s3.getObject(b -> b.bucket("big").key("in/big.ndjson"))) {
                assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(file));
            }
            assertThat(s3.getObjectAsBytes(b -> b.bucket("big").key("in/tiny.bin")).asByteArray()).containsExactly(1, 2, 3);
            try (var files = Files.walk(directory)) {
                assertThat(files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum())
                        .as("bytes stored on disk").isGreaterThanOrEqualTo(Files.size(file));
            }
        }
        assertThat(directory).doesNotExist();
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        try (S3TestServer server = S3TestServer.start()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
            }
            for (InetAddress address : nonLoopbackAddresses()) {
                try (Socket socket = new Socket()) {
                    assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, server.port()), 1000))
                            .as("connect to %s", address).isInstanceOf(java.io.IOException.class);
                }
            }
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws Exception {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                Collections.list(nic.getInetAddresses()).stream()
                        .filter(a -> !a.isLinkLocalAddress()).forEach(addresses::add);
            }
        }
        return addresses;
    }
}
