package io.cdisync.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.InMemoryWatermarkStore;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.DyingWatermarkStore;
import io.cdisync.testkit.FakeBraze;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Files in a real S3 server (S3Proxy on 127.0.0.1) -> S3Source -> SyncRunner -> the testkit's fake Braze. */
@ExtendWith(CdiTestExtension.class)
class S3SyncTest {
    static final AtomicInteger BUCKETS = new AtomicInteger();
    static S3TestServer server;
    static S3Client s3;

    final InMemoryWatermarkStore store = new InMemoryWatermarkStore();
    String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start();
        s3 = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        s3.close();
        server.close();
    }

    @BeforeEach
    void createBucket() {
        bucket = "sync-" + BUCKETS.incrementAndGet();
        s3.createBucket(r -> r.bucket(bucket));
    }

    void put(String key, String content) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    S3Source.Builder source() {
        return S3Source.builder().client(s3).bucket(bucket).folder("exports/").backfill(true);
    }

    SyncRunner.Builder runner(S3Source source, BrazeClient client, WatermarkStore store) {
        return SyncRunner.builder().syncId(bucket).source(source).braze(client).watermarkStore(store)
                .checkpointInterval(Duration.ZERO).fetchSize(50);
    }

    static String user(int i) {
        return "{\"EXTERNAL_ID\":\"user-" + i + "\",\"PAYLOAD\":{\"n\":" + i + ",\"tier\":\"gold\"}}\n";
    }

    static Map<String, ObjectNode> byId(List<ObjectNode> objects) {
        Map<String, ObjectNode> map = new HashMap<>();
        objects.forEach(o -> map.put(o.path("external_id").asText(), o));
        return map;
    }

    @Test
    void syncsAttributesFromJsonCsvAndParquetFilesOnce(FakeBraze braze, BrazeClient client, @TempDir Path dir) throws Exception {
        put("exports/users-1.json", "\uFEFF" + user(1) + "\n{\"external_id\":\"user-2\",\"payload\":\"{\\\"n\\\":2}\",\"other\":7}\n");
        put("exports/users-2.csv", "EXTERNAL_ID,PAYLOAD\nuser-3,\"{\"\"n\"\":3,\"\"city\"\":\"\"Paris, FR\"\"}\"\n"
                + "user-4,\"{\"\"n\"\":4}\"\n");
        Path parquet = dir.resolve("users-3.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT 'user-5' AS external_id, '{\"n\":5}' AS payload UNION ALL "
                    + "SELECT 'user-6', '{\"n\":6}') TO '" + parquet + "' (FORMAT PARQUET)");
        }
        s3.putObject(r -> r.bucket(bucket).key("exports/users-3.parquet"), RequestBody.fromFile(parquet));
        put("exports/sub/", "");
        put("elsewhere/users-9.json", user(9));

        SyncReport report = runner(source().build(), client, store).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(report.rowsDelivered()).isEqualTo(6);
        Map<String, ObjectNode> users = byId(braze.attributes());
        assertThat(users).containsOnlyKeys("user-1", "user-2", "user-3", "user-4", "user-5", "user-6");
        assertThat(users.get("user-1").path("tier").asText()).isEqualTo("gold");
        assertThat(users.get("user-3").path("city").asText()).isEqualTo("Paris, FR");
        assertThat(users.get("user-6").path("n").asInt()).isEqualTo(6);
        FileLedger ledger = (FileLedger) store.load(bucket).orElseThrow().watermark();
        assertThat(ledger.files()).extracting(FileLedger.ProcessedFile::key)
                .containsExactly("exports/users-1.json", "exports/users-2.csv", "exports/users-3.parquet");

        SyncReport again = runner(source().build(), client, store).build().run();
        assertThat(again.rowsRead()).isZero();
        assertThat(braze.attributes()).hasSize(6);
    }

    @Test
    void takesOnlyFilesAddedAfterTheSyncWasCreated(FakeBraze braze, BrazeClient client) throws Exception {
        put("exports/before.json", user(1));
        SyncReport first = runner(source().backfill(false).build(), client, store).build().run();
        assertThat(first.rowsRead()).isZero();
        assertThat(((FileLedger) store.load(bucket).orElseThrow().watermark()).since()).isNotNull();

        Thread.sleep(1100); // S3's LastModified has second precision
        put("exports/after.json", user(2));
        SyncReport second = runner(source().backfill(false).build(), client, store).build().run();
        assertThat(second.rowsDelivered()).isEqualTo(1);
        assertThat(byId(braze.attributes())).containsOnlyKeys("user-2");
    }

    @Test
    void customEventsFromCsvWithFilters(FakeBraze braze, BrazeClient client) {
        put("exports/events-2026-06-01.csv", "external_id,payload\nu1,\"{\"\"name\"\":\"\"opened\"\",\"\"time\"\":\"\"2026-06-01T10:00:00Z\"\"}\"\n"
                + "u2,\"{\"\"name\"\":\"\"clicked\"\"}\"\n");
        put("exports/events-2026-06-01.json", "{\"external_id\":\"u3\",\"payload\":{\"name\":\"ignored\"}}\n");
        put("exports/users.csv", "external_id,payload\nu4,\"{\"\"name\"\":\"\"ignored\"\"}\"\n");

        SyncReport report = runner(source().fileNamePrefix("events-").fileNameSuffix(".csv").build(), client, store)
                .dataType(DataType.CUSTOM_EVENTS).build().run();

        assertThat(report.rowsDelivered()).isEqualTo(2);
        assertThat(braze.events()).extracting(e -> e.path("name").asText()).containsExactlyInAnyOrder("opened", "clicked");
        ObjectNode clicked = braze.events().stream().filter(e -> e.path("name").asText().equals("clicked")).findFirst().orElseThrow();
        assertThat(Instant.parse(clicked.path("time").asText())).as("no time: the file's LastModified").isNotNull();
    }

    @Test
    void badLinesAreRowErrorsAndStrictModeSkipsTheFile(FakeBraze braze, BrazeClient client) {
        put("exports/a.json", user(1) + "{not json\n" + user(2) + "{\"external_id\":\"user-3\",\"email\":\"x@y.z\",\"payload\":{}}\n");
        put("exports/b.json", user(4) + "[1,2]\n");
        put("exports/c.json", user(5));

        SyncReport lenient = runner(source().build(), client, store).build().run();
        assertThat(lenient.status()).isEqualTo(SyncStatus.PARTIAL_SUCCESS);
        assertThat(lenient.rowsDelivered()).isEqualTo(4);
        assertThat(lenient.rowErrors()).extracting(RowError::rowKey, RowError::kind).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("exports/a.json:2", RowError.Kind.UNREADABLE_ROW),
                org.assertj.core.groups.Tuple.tuple("exports/a.json:4", RowError.Kind.INVALID_IDENTIFIER),
                org.assertj.core.groups.Tuple.tuple("exports/b.json:2", RowError.Kind.UNREADABLE_ROW));

        braze.reset();
        InMemoryWatermarkStore strictStore = new InMemoryWatermarkStore();
        SyncReport strict = runner(source().strict(true).build(), client, strictStore).build().run();
        assertThat(strict.rowsDelivered()).isEqualTo(1);
        assertThat(strict.rowErrors()).extracting(RowError::rowKey).containsExactlyInAnyOrder("exports/a.json", "exports/b.json");
        assertThat(strict.rowErrors()).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(RowError.Kind.FILE_SKIPPED);
            assertThat(e.reason()).contains("strict mode").containsPattern(":2\\b");
        });
        assertThat(byId(braze.attributes())).containsOnlyKeys("user-5");
    }

    @Test
    void tooLargeAndChangedFilesAreReportedNotSent(FakeBraze braze, BrazeClient client) {
        put("exports/small.json", user(1));
        put("exports/large.json", user(2).repeat(20));
        SyncReport first = runner(source().maxFileBytes(200).build(), client, store).build().run();
        assertThat(first.rowErrors()).singleElement().satisfies(e -> {
            assertThat(e.rowKey()).isEqualTo("exports/large.json");
            assertThat(e.kind()).isEqualTo(RowError.Kind.FILE_SKIPPED);
            assertThat(e.reason()).contains("over 200 bytes");
        });

        put("exports/small.json", user(1) + user(3));
        SyncReport second = runner(source().maxFileBytes(200).build(), client, store).build().run();
        assertThat(second.rowsDelivered()).isZero();
        assertThat(second.rowErrors()).singleElement().satisfies(e -> {
            assertThat(e.rowKey()).isEqualTo("exports/small.json");
            assertThat(e.reason()).contains("changed after it was processed");
        });
        SyncReport third = runner(source().maxFileBytes(200).build(), client, store).build().run();
        assertThat(third.rowErrors()).isEmpty();
        assertThat(byId(braze.attributes())).containsOnlyKeys("user-1");
    }

    @Test
    void manyFilesOverSeveralListingPages(FakeBraze braze, BrazeClient client) {
        for (int f = 0; f < 120; f++) {
            put(String.format("exports/part-%04d.json", f), user(2 * f) + user(2 * f + 1));
        }
        SyncReport report = runner(source().listPageSize(25).build(), client, store).build().run();
        assertThat(report.rowsDelivered()).isEqualTo(240);
        assertThat(byId(braze.attributes())).hasSize(240);
        assertThat(((FileLedger) store.load(bucket).orElseThrow().watermark()).files()).hasSize(120);
    }

    @Test
    void crashesBetweenAndInsideFilesLoseNothing(FakeBraze braze, BrazeClient client) {
        for (int f = 0; f < 12; f++) {
            StringBuilder file = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                file.append(user(f * 100 + i));
            }
            put(String.format("exports/part-%02d.json", f), file.toString());
        }
        int runs = 0;
        SyncReport report;
        do {
            report = runner(source().build(), client, DyingWatermarkStore.dyingAfter(2, store)).concurrency(2).build().run();
            runs++;
        } while (report.status() == SyncStatus.ERROR && runs < 200);
        assertThat(report.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(runs).isGreaterThan(5);
        Map<String, Integer> times = new HashMap<>();
        braze.attributes().forEach(o -> times.merge(o.path("external_id").asText(), 1, Integer::sum));
        assertThat(times).hasSize(1200);
        long twice = times.values().stream().filter(n -> n > 1).count();
        assertThat(twice).as("rows sent again are bounded by what was in flight at each crash").isLessThanOrEqualTo(runs * 150L);
        FileLedger ledger = (FileLedger) store.load(bucket).orElseThrow().watermark();
        assertThat(ledger.files()).hasSize(12);
        assertThat(ledger.current()).isNull();
    }

    @Test
    void aFileThatAppearsDuringARunIsSyncedOnce(FakeBraze braze, BrazeClient client) {
        for (int f = 0; f < 60; f++) {
            put(String.format("exports/b-%03d.json", f), user(f));
        }
        AtomicBoolean added = new AtomicBoolean();
        SyncListener addFiles = new SyncListener() {
            @Override
            public void onCheckpoint(String syncId, Instant watermark) {
                if (added.compareAndSet(false, true)) {
                    put("exports/a-late.json", user(1000)); // sorts before the listing's position: next run
                    put("exports/z-late.json", user(1001)); // sorts after: a later page of this run's listing
                }
            }
        };
        SyncReport first = runner(source().listPageSize(10).build(), client, store).listener(addFiles).build().run();
        SyncReport second = runner(source().listPageSize(10).build(), client, store).build().run();
        SyncReport third = runner(source().listPageSize(10).build(), client, store).build().run();

        assertThat(added).isTrue();
        assertThat(first.rowsDelivered() + second.rowsDelivered()).isEqualTo(62);
        assertThat(third.rowsRead()).isZero();
        Map<String, Integer> times = new HashMap<>();
        braze.attributes().forEach(o -> times.merge(o.path("external_id").asText(), 1, Integer::sum));
        assertThat(times).hasSize(62).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void checkNamesWhatIsWrong() {
        S3Source missing = S3Source.builder().client(s3).bucket("no-such-bucket").build();
        org.assertj.core.api.Assertions.assertThatThrownBy(missing::check)
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("NoSuchBucket");

        S3Source wrongKey = S3Source.builder().bucket(bucket).endpoint(server.endpoint()).pathStyleAccess(true)
                .region("us-east-1").accessKey("AKIAWRONG", io.cdisync.braze.Secret.of("wrong-secret-value")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(wrongKey::check)
                .isInstanceOf(CdiException.AccessDenied.class).hasMessageContaining("s3:ListBucket")
                .hasMessageNotContaining("wrong-secret-value");
        wrongKey.close();

        S3Source nowhere = S3Source.builder().bucket(bucket).endpoint(java.net.URI.create("http://127.0.0.1:9")).pathStyleAccess(true)
                .region("us-east-1").accessKey("AKIAX", io.cdisync.braze.Secret.of("nowhere-secret")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(nowhere::check)
                .isInstanceOf(CdiException.ConnectionFailed.class).hasMessageNotContaining("nowhere-secret");
        nowhere.close();
    }
}
