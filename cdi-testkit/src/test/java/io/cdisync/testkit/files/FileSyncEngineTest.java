package io.cdisync.testkit.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.TableWatermark;
import io.cdisync.core.spi.Watermark;
import io.cdisync.core.spi.WatermarkCodec;
import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.InMemoryWatermarkStore;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.DyingWatermarkStore;
import io.cdisync.testkit.FakeBraze;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine's side of file syncs: ledger, per-file resume, skipped files, unreadable records. */
@ExtendWith(CdiTestExtension.class)
class FileSyncEngineTest {
    static final Instant CREATED = Instant.parse("2026-06-01T00:00:00Z");
    final InMemoryWatermarkStore store = new InMemoryWatermarkStore();

    static List<SourceRow> users(String file, int from, int count) {
        List<SourceRow> rows = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            rows.add(SourceRow.builder().rowKey(file + ":" + (i - from + 1)).updatedAt(CREATED).externalId("user-" + i)
                    .payload("{\"n\":" + i + "}").build());
        }
        return rows;
    }

    SyncRunner.Builder runner(ListedFiles files, BrazeClient client, WatermarkStore store, Instant now) {
        return SyncRunner.builder().syncId("files").source(files).braze(client).watermarkStore(store)
                .clock(Clock.fixed(now, ZoneOffset.UTC)).checkpointInterval(Duration.ZERO).fetchSize(10);
    }

    @Test
    void processesEachNewFileOnceAndKeepsALedger(FakeBraze braze, BrazeClient client) {
        ListedFiles files = new ListedFiles(false);
        files.put("old.json", "e0", CREATED.minusSeconds(60), users("old.json", 900, 5));
        SyncReport first = runner(files, client, store, CREATED).build().run();
        assertThat(first.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(first.rowsRead()).isZero();
        FileLedger created = (FileLedger) store.load("files").orElseThrow().watermark();
        assertThat(created.since()).isEqualTo(CREATED);
        assertThat(created.files()).isEmpty();

        files.put("a.json", "e1", CREATED.plusSeconds(10), users("a.json", 0, 25));
        List<SourceRow> b = new ArrayList<>(users("b.json", 100, 4));
        b.add(2, SourceRow.unreadable("b.json:3", "line 3 is not a JSON object"));
        files.put("b.json", "e2", CREATED.plusSeconds(20), b);
        files.put("empty.json", "e3", CREATED.plusSeconds(30), List.of());
        SyncReport second = runner(files, client, store, CREATED.plusSeconds(60)).build().run();

        assertThat(second.status()).isEqualTo(SyncStatus.PARTIAL_SUCCESS);
        assertThat(second.rowsRead()).isEqualTo(30);
        assertThat(second.rowsDelivered()).isEqualTo(29);
        assertThat(second.rowErrors()).singleElement().satisfies(e -> {
            assertThat(e.rowKey()).isEqualTo("b.json:3");
            assertThat(e.kind()).isEqualTo(RowError.Kind.UNREADABLE_ROW);
            assertThat(e.reason()).contains("not a JSON object");
        });
        assertThat(braze.attributes()).hasSize(29);
        FileLedger ledger = (FileLedger) store.load("files").orElseThrow().watermark();
        assertThat(ledger.files()).extracting(FileLedger.ProcessedFile::key).containsExactly("a.json", "b.json", "empty.json");
        assertThat(ledger.current()).isNull();
        assertThat(WatermarkCodec.decode(WatermarkCodec.encode(ledger))).isEqualTo(ledger);

        files.put("b.json", "e2-changed", CREATED.plusSeconds(70), users("b.json", 100, 4));
        SyncReport third = runner(files, client, store, CREATED.plusSeconds(120)).build().run();
        assertThat(third.rowsDelivered()).isZero();
        assertThat(third.rowErrors()).singleElement().satisfies(e -> {
            assertThat(e.rowKey()).isEqualTo("b.json");
            assertThat(e.kind()).isEqualTo(RowError.Kind.FILE_SKIPPED);
            assertThat(e.reason()).contains("changed after it was processed");
        });
        SyncReport fourth = runner(files, client, store, CREATED.plusSeconds(180)).build().run();
        assertThat(fourth.rowErrors()).as("a changed file is reported once").isEmpty();
        assertThat(fourth.rowsRead()).isZero();
        assertThat(braze.attributes()).hasSize(29);
    }

    @Test
    void backfillTakesFilesThatWereThereBefore(FakeBraze braze, BrazeClient client) {
        ListedFiles files = new ListedFiles(true);
        files.put("old.json", "e0", CREATED.minusSeconds(3600), users("old.json", 0, 7));
        SyncReport report = runner(files, client, store, CREATED).build().run();
        assertThat(report.rowsDelivered()).isEqualTo(7);
        assertThat(((FileLedger) store.load("files").orElseThrow().watermark()).since()).isNull();
    }

    @Test
    void aCrashInsideAFileResumesFromItsLastDoneRecord(FakeBraze braze, BrazeClient client) {
        ListedFiles files = new ListedFiles(true);
        files.put("a.json", "e1", CREATED, users("a.json", 0, 300));
        files.put("b.json", "e2", CREATED, users("b.json", 300, 300));
        int crashes = 0;
        SyncReport report;
        do {
            // Each run's store dies after a few checkpoints: the run ends with the position saved so far.
            report = runner(files, client, DyingWatermarkStore.dyingAfter(1, store), CREATED).concurrency(2).build().run();
            crashes++;
            if (report.status() == SyncStatus.ERROR) {
                assertThat(report.failure()).isInstanceOf(CdiException.WatermarkStoreFailure.class);
                FileLedger saved = (FileLedger) store.load("files").orElseThrow().watermark();
                assertThat(saved.current() == null || saved.current().records() > 0).isTrue();
            }
        } while (report.status() == SyncStatus.ERROR && crashes < 100);
        assertThat(report.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(crashes).isGreaterThan(3);

        Map<String, Integer> times = new HashMap<>();
        for (ObjectNode object : braze.attributes()) {
            times.merge(object.path("external_id").asText(), 1, Integer::sum);
        }
        assertThat(times).hasSize(600);
        long resent = times.values().stream().filter(n -> n > 1).count();
        // Rows sent twice are those in flight or done past the saved position when the store died.
        assertThat(resent).isLessThanOrEqualTo((long) crashes * 2 * 75 + crashes * 10L);
        assertThat(((FileLedger) store.load("files").orElseThrow().watermark()).files()).hasSize(2);
    }

    @Test
    void rowsOfOneUserKeepTheirFileOrder(FakeBraze braze, BrazeClient client) {
        ListedFiles files = new ListedFiles(true);
        List<SourceRow> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rows.add(SourceRow.builder().rowKey("a.json:" + (i + 1)).updatedAt(CREATED).externalId("user-" + (i % 7))
                    .payload("{\"seq\":" + i + "}").build());
        }
        files.put("a.json", "e1", CREATED, rows);
        runner(files, client, store, CREATED).concurrency(8).build().run();
        Map<String, List<Integer>> seen = braze.attributes().stream().collect(Collectors.groupingBy(
                o -> o.path("external_id").asText(), Collectors.mapping(o -> o.path("seq").asInt(), Collectors.toList())));
        assertThat(seen).hasSize(7).allSatisfy((user, seqs) -> assertThat(seqs).isSorted());
    }

    @Test
    void eventsWithoutATimeTakeTheRowsTime(FakeBraze braze, BrazeClient client) {
        ListedFiles files = new ListedFiles(true);
        Instant fileTime = Instant.parse("2026-06-01T08:30:00Z");
        files.put("events.json", "e1", fileTime, List.of(SourceRow.builder().rowKey("events.json:1").updatedAt(fileTime)
                .externalId("u1").payload("{\"name\":\"opened\"}").build()));
        SyncReport report = runner(files, client, store, CREATED).dataType(DataType.CUSTOM_EVENTS).build().run();
        assertThat(report.rowsDelivered()).isEqualTo(1);
        assertThat(braze.events()).singleElement().satisfies(e -> assertThat(e.path("time").asText()).isEqualTo(fileTime.toString()));
    }

    @Test
    void aSyncIdKeepsItsKindOfSource(FakeBraze braze, BrazeClient client) {
        store.commit("files", 0, new TableWatermark(CREATED, List.of()));
        SyncReport report = runner(new ListedFiles(false), client, store, CREATED).build().run();
        assertThat(report.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(report.failure()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("table watermark").hasMessageContaining("cannot change its kind of source");
        Watermark kept = store.load("files").orElseThrow().watermark();
        assertThat(kept).isInstanceOf(TableWatermark.class);
    }
}
