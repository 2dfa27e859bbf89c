package io.cdisync.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.TableWatermark;
import io.cdisync.core.spi.WatermarkStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWatermarkStoreTest {
    static final TableWatermark W1 = new TableWatermark(Instant.parse("2026-01-01T00:00:00Z"),
            List.of(new TableWatermark.DeliveredRow(Instant.parse("2026-01-01T00:00:00Z"), "abc")));
    static final TableWatermark W2 = new TableWatermark(Instant.parse("2026-01-02T00:00:00Z"), List.of());

    @TempDir
    Path dir;

    @Test
    void storesLoadsAndVersionsWatermarks() {
        roundTrip(new FileWatermarkStore(dir));
        assertThat(new FileWatermarkStore(dir).load("s").orElseThrow().watermark()).isEqualTo(W2);
    }

    @Test
    void inMemoryStoreObeysTheSameRules() {
        roundTrip(new InMemoryWatermarkStore());
    }

    /** The compare-and-set rules every store obeys; shared with the JDBC store tests. */
    static void roundTrip(WatermarkStore store) {
        assertThat(store.load("s")).isEmpty();
        assertThat(store.commit("s", 0, W1)).isEqualTo(1);
        assertThat(store.load("s")).contains(new StoredWatermark(W1, 1));
        assertThatThrownBy(() -> store.commit("s", 0, W2)).isInstanceOf(CdiException.ConcurrentRun.class);
        assertThat(store.commit("s", 1, W2)).isEqualTo(2);
        assertThatThrownBy(() -> store.commit("s", 1, W1)).isInstanceOf(CdiException.ConcurrentRun.class);
        assertThat(store.load("s").orElseThrow().watermark()).isEqualTo(W2);
        assertThat(store.load("other")).isEmpty();
    }

    @Test
    void concurrentCommittersNeverBothWin() throws Exception {
        FileWatermarkStore store = new FileWatermarkStore(dir);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger wins = new AtomicInteger();
        try {
            for (int round = 0; round < 20; round++) {
                long version = store.load("s").map(StoredWatermark::version).orElse(0L);
                List<Future<?>> futures = new java.util.ArrayList<>();
                wins.set(0);
                for (int i = 0; i < 8; i++) {
                    // Each worker uses its own store instance, like separate processes sharing the directory.
                    futures.add(pool.submit(() -> {
                        try {
                            new FileWatermarkStore(dir).commit("s", version, W1);
                            wins.incrementAndGet();
                        } catch (CdiException.ConcurrentRun expected) {
                            // lost the race
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                assertThat(wins.get()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.load("s").orElseThrow().version()).isEqualTo(20);
    }

    @Test
    void aCorruptFileIsAClearErrorNotASilentRestart() throws Exception {
        Files.writeString(dir.resolve("s.json"), "{\"version\":3,\"watermark\":{\"kind\":\"tab");
        assertThatThrownBy(() -> new FileWatermarkStore(dir).load("s"))
                .isInstanceOf(CdiException.WatermarkStoreFailure.class)
                .hasMessageContaining("s.json");
    }

    @Test
    void leftoverTempFilesFromACrashAreIgnored() throws Exception {
        FileWatermarkStore store = new FileWatermarkStore(dir);
        store.commit("s", 0, W1);
        Files.writeString(dir.resolve("s.json12345.tmp"), "{\"torn");
        assertThat(store.load("s").orElseThrow().watermark()).isEqualTo(W1);
        assertThat(store.commit("s", 1, W2)).isEqualTo(2);
    }
}
