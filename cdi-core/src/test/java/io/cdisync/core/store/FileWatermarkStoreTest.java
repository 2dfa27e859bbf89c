package io.cdisync.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.TableWatermark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link FileWatermarkStore} does beyond the {@code WatermarkStore} contract (compare-and-set, round trips,
 * concurrency: cdi-testkit's {@code FileWatermarkStoreContractTest} runs {@code WatermarkStoreContract} on it):
 * its file format's failures and leftovers.
 */
class FileWatermarkStoreTest {
    static final TableWatermark W1 = new TableWatermark(Instant.parse("2026-01-01T00:00:00Z"),
            List.of(new TableWatermark.DeliveredRow(Instant.parse("2026-01-01T00:00:00Z"), "abc")));
    static final TableWatermark W2 = new TableWatermark(Instant.parse("2026-01-02T00:00:00Z"), List.of());

    @TempDir
    Path dir;

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
