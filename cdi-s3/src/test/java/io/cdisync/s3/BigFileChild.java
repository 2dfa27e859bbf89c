package io.cdisync.s3;

import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.net.URI;
import java.time.Duration;

/** One sync of one bucket folder in its own JVM, so {@link BigFileStreamingTest} can cap its heap. */
public final class BigFileChild {
    private BigFileChild() {
    }

    /** Args: S3 endpoint, bucket, Braze url, Braze API key (S3 credentials: the test server's). */
    public static void main(String[] args) {
        S3Source source = S3Source.builder().endpoint(URI.create(args[0])).pathStyleAccess(true).region("us-east-1")
                .accessKey(S3TestServer.ACCESS_KEY_ID, Secret.of(S3TestServer.SECRET_ACCESS_KEY)).bucket(args[1])
                .backfill(true).build();
        SyncReport report;
        try (source; BrazeClient client = BrazeClient.builder().endpoint(args[2]).apiKey(Secret.of(args[3]))
                .initialBackoff(Duration.ofMillis(10)).build()) {
            report = SyncRunner.builder().syncId("big").source(source).braze(client)
                    .watermarkStore(new InMemoryWatermarkStore()).build().run();
        }
        System.out.println(report.summary());
        System.out.println("DELIVERED=" + report.rowsDelivered());
        System.out.println("MAX_HEAP=" + Runtime.getRuntime().maxMemory());
        System.exit(report.status() == SyncStatus.SUCCESS ? 0 : 1);
    }
}
