package io.cdisync.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.FileLedger;
import io.cdisync.core.spi.StoredWatermark;
import io.cdisync.core.spi.TableWatermark;
import io.cdisync.core.spi.TableWatermark.DeliveredRow;
import io.cdisync.core.spi.Watermark;
import io.cdisync.core.spi.WatermarkStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promises of {@link WatermarkStore} as tests: extend this class in your test tree to check your own store,
 * the way cdi checks its built-in ones (in memory, files, JDBC on PostgreSQL and DuckDB).
 *
 * <pre>{@code
 * class RedisWatermarkStoreTest extends WatermarkStoreContract {
 *     final String namespace = "test-" + UUID.randomUUID();     // fresh storage per test
 *
 *     @Override
 *     protected WatermarkStore newStore() {
 *         return new RedisWatermarkStore(redisUrl, namespace);   // a new instance over the same storage
 *     }
 * }
 * }</pre>
 *
 * <p>What is checked: commits are compare-and-set (version 0 for a sync that never committed, a stale version
 * refused with {@link CdiException.ConcurrentRun}, versions that start at 1 and grow); an unknown sync loads as
 * empty; table and file watermarks come back equal to what was committed, also with 100,000 rows at the edge;
 * a store dropped without any goodbye (a crash between commits) leaves the last commit to a new store over the
 * same storage; threads racing on one sync make exactly one winner per version, threads on different syncs all
 * win. Stores with leases (like {@code JdbcWatermarkStore}) override {@link #supportsLeases()} and
 * {@link #acquireLease} to have those checked too; for other stores the lease tests are skipped.
 *
 * <p>Each test calls {@link #newStore()} one or more times and expects every instance to see the same storage,
 * empty when the test starts. JUnit makes a new instance of the test class per test, so storage created in a
 * field initializer or a {@code @TempDir} field is fresh for each test. A store whose state does not outlive
 * its instance (like {@code InMemoryWatermarkStore}) returns the same instance each time. Sync ids used are
 * short letters, digits, '-' and '.'.
 */
public abstract class WatermarkStoreContract {
    /** A moment the test watermarks are built around. */
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

    /**
     * A store over this test's storage. Each call may return a new instance (another worker, or the same
     * process after a restart); all see the same data.
     */
    protected abstract WatermarkStore newStore() throws Exception;

    /**
     * Whether the store has leases (a worker's exclusive right to run a sync for a while). Default false:
     * the lease tests are skipped. Override together with {@link #acquireLease}.
     */
    protected boolean supportsLeases() {
        return false;
    }

    /**
     * Takes the lease of {@code syncId} for {@code owner}, the store's way (e.g.
     * {@code ((JdbcWatermarkStore) store).acquireLease(syncId, owner, ttl)::release}).
     *
     * @return a handle that gives the lease back
     * @throws CdiException.ConcurrentRun when another owner holds a live lease
     */
    protected Lease acquireLease(WatermarkStore store, String syncId, String owner, Duration ttl) {
        throw new UnsupportedOperationException("override acquireLease when supportsLeases() is true");
    }

    /** How many rows the edge of the large watermark holds (default 100,000). */
    protected int largeEdgeRows() {
        return 100_000;
    }

    /** A lease as the contract uses it: given back by {@link #release()}. */
    @FunctionalInterface
    public interface Lease {
        /** Gives the lease back, so another owner may take it at once. */
        void release();
    }

    @Test
    void aSyncThatNeverCommittedLoadsAsEmpty() throws Exception {
        WatermarkStore store = newStore();
        assertThat(store.load("never-committed")).isEmpty();
        store.commit("other", 0, table(T0));
        assertThat(store.load("never-committed")).as("another sync's commit is not this sync's").isEmpty();
    }

    @Test
    void theFirstCommitExpectsVersionZeroAndMakesVersionOne() throws Exception {
        WatermarkStore store = newStore();
        assertThatThrownBy(() -> store.commit("fresh", 5, table(T0))).as("a version that was never stored")
                .isInstanceOf(CdiException.ConcurrentRun.class);
        assertThat(store.load("fresh")).as("a refused commit stores nothing").isEmpty();
        assertThat(store.commit("fresh", 0, table(T0))).isEqualTo(1);
        assertThat(store.load("fresh")).contains(new StoredWatermark(table(T0), 1));
    }

    @Test
    void versionsGrowWithEachCommitAndAStaleVersionIsRefused() throws Exception {
        WatermarkStore store = newStore();
        long previous = store.commit("users", 0, table(T0));
        for (int i = 1; i <= 5; i++) {
            Watermark next = table(T0.plusSeconds(i));
            long version = store.commit("users", previous, next);
            assertThat(version).as("version after commit " + (i + 1)).isGreaterThan(previous);
            assertThat(store.load("users")).contains(new StoredWatermark(next, version));
            long stale = previous;
            assertThatThrownBy(() -> store.commit("users", stale, table(T0))).as("commit with stale version " + stale)
                    .isInstanceOf(CdiException.ConcurrentRun.class);
            assertThatThrownBy(() -> store.commit("users", 0, table(T0))).as("commit as a new sync")
                    .isInstanceOf(CdiException.ConcurrentRun.class);
            assertThat(store.load("users")).as("a refused commit changes nothing").contains(new StoredWatermark(next, version));
            previous = version;
        }
    }

    @Test
    void anotherInstanceOverTheSameStorageSeesTheCommitsAndTheirVersions() throws Exception {
        WatermarkStore first = newStore();
        long version = first.commit("shared", 0, table(T0));
        WatermarkStore second = newStore();
        assertThat(second.load("shared")).contains(new StoredWatermark(table(T0), version));
        long next = second.commit("shared", version, table(T0.plusSeconds(1)));
        assertThatThrownBy(() -> first.commit("shared", version, table(T0.plusSeconds(2))))
                .as("the first instance's version is stale now").isInstanceOf(CdiException.ConcurrentRun.class);
        assertThat(first.load("shared")).contains(new StoredWatermark(table(T0.plusSeconds(1)), next));
    }

    @Test
    void tableWatermarksRoundTrip() throws Exception {
        WatermarkStore store = newStore();
        List<Watermark> watermarks = List.of(
                new TableWatermark(T0, List.of()),
                new TableWatermark(T0, List.of(new DeliveredRow(T0, "f1"), new DeliveredRow(T0, "f2"),
                        new DeliveredRow(T0.minusMillis(1), "f0"), new DeliveredRow(T0.minusSeconds(3600), "é \"quoted\" \\ ☃"))),
                new TableWatermark(Instant.parse("1970-01-01T00:00:00Z"), List.of()),
                new TableWatermark(Instant.parse("9999-12-31T23:59:59.999999999Z"), List.of(new DeliveredRow(T0, ""))));
        long version = 0;
        for (Watermark watermark : watermarks) {
            version = store.commit("table-sync", version, watermark);
            assertThat(newStore().load("table-sync")).contains(new StoredWatermark(watermark, version));
        }
    }

    @Test
    void fileLedgersRoundTrip() throws Exception {
        WatermarkStore store = newStore();
        List<Watermark> ledgers = List.of(
                FileLedger.startingAt(null),
                FileLedger.startingAt(T0),
                new FileLedger(T0, List.of(new FileLedger.ProcessedFile("exports/users-2.json", "\"etag-2\"", 5_000_000_000_000L, null),
                        new FileLedger.ProcessedFile("exports/users-1 é.csv", "etag-1", 0, "not a CSV file: no header line")),
                        new FileLedger.FilePosition("exports/users-3.parquet", "etag-3", 42, 17)),
                new FileLedger(null, List.of(new FileLedger.ProcessedFile("a", "e", 1, null)), null));
        long version = 0;
        for (Watermark ledger : ledgers) {
            version = store.commit("file-sync", version, ledger);
            assertThat(newStore().load("file-sync")).contains(new StoredWatermark(ledger, version));
        }
    }

    @Test
    void aWatermarkWithALargeEdgeRoundTrips() throws Exception {
        List<DeliveredRow> edge = new ArrayList<>(largeEdgeRows());
        for (int i = 0; i < largeEdgeRows(); i++) {
            edge.add(new DeliveredRow(T0.minusMillis(i % 1000), String.format("%064x", i * 2_654_435_761L)));
        }
        TableWatermark large = new TableWatermark(T0, edge);
        WatermarkStore store = newStore();
        long version = store.commit("large", 0, large);
        StoredWatermark loaded = newStore().load("large").orElseThrow();
        assertThat(loaded.version()).isEqualTo(version);
        assertThat(((TableWatermark) loaded.watermark()).edge()).hasSize(largeEdgeRows());
        assertThat(loaded.watermark()).isEqualTo(large);
        assertThat(store.commit("large", version, table(T0))).isGreaterThan(version);
    }

    @Test
    void aStoreDroppedWithoutClosingLeavesItsLastCommitToTheNextOne() throws Exception {
        WatermarkStore crashed = newStore();
        long v1 = crashed.commit("crash", 0, table(T0));
        long v2 = crashed.commit("crash", v1, table(T0.plusSeconds(1)));
        crashed = null; // no close, no flush: the process is gone between two commits
        WatermarkStore restarted = newStore();
        assertThat(restarted.load("crash")).contains(new StoredWatermark(table(T0.plusSeconds(1)), v2));
        assertThatThrownBy(() -> restarted.commit("crash", v1, table(T0))).isInstanceOf(CdiException.ConcurrentRun.class);
        assertThat(restarted.commit("crash", v2, table(T0.plusSeconds(2)))).isGreaterThan(v2);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void threadsRacingOnOneSyncMakeExactlyOneWinnerPerVersion() throws Exception {
        int threads = 8;
        int rounds = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                long version = newStore().load("race").map(StoredWatermark::version).orElse(0L);
                CyclicBarrier start = new CyclicBarrier(threads);
                AtomicInteger wins = new AtomicInteger();
                List<Future<Watermark>> futures = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Watermark mine = table(T0.plusSeconds(round * 100L + i));
                    WatermarkStore own = newStore(); // each worker its own instance
                    futures.add(pool.submit(() -> {
                        start.await();
                        try {
                            own.commit("race", version, mine);
                            wins.incrementAndGet();
                            return mine;
                        } catch (CdiException.ConcurrentRun lost) {
                            return null;
                        }
                    }));
                }
                Watermark winner = null;
                for (Future<Watermark> future : futures) {
                    Watermark won = future.get();
                    winner = won != null ? won : winner;
                }
                assertThat(wins.get()).as("winners of round " + round).isEqualTo(1);
                StoredWatermark stored = newStore().load("race").orElseThrow();
                assertThat(stored.watermark()).as("round " + round + " stores the winner's watermark").isEqualTo(winner);
                assertThat(stored.version()).isGreaterThan(version);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void threadsOnDifferentSyncsAllWin() throws Exception {
        int threads = 8;
        int commits = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String syncId = "sync-" + i;
                WatermarkStore own = newStore();
                futures.add(pool.submit(() -> {
                    start.await();
                    long version = 0;
                    for (int c = 0; c < commits; c++) {
                        version = own.commit(syncId, version, table(T0.plusSeconds(c)));
                    }
                    return version;
                }));
            }
            WatermarkStore store = newStore();
            for (int i = 0; i < threads; i++) {
                long version = futures.get(i).get();
                assertThat(store.load("sync-" + i)).contains(new StoredWatermark(table(T0.plusSeconds(commits - 1)), version));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLiveLeaseKeepsOtherOwnersOutUntilReleased() throws Exception {
        assumeTrue(supportsLeases(), "the store has no leases");
        WatermarkStore worker1 = newStore();
        WatermarkStore worker2 = newStore();
        Lease lease = acquireLease(worker1, "leased", "worker-1", Duration.ofMinutes(5));
        assertThat(worker1.load("leased")).as("a lease alone is no watermark").isEmpty();
        assertThatThrownBy(() -> acquireLease(worker2, "leased", "worker-2", Duration.ofMinutes(5)))
                .isInstanceOf(CdiException.ConcurrentRun.class).hasMessageContaining("worker-1");
        acquireLease(worker1, "leased", "worker-1", Duration.ofMinutes(5)); // the holder may take it again
        assertThat(worker1.commit("leased", 0, table(T0))).isEqualTo(1);
        lease.release();
        Lease taken = acquireLease(worker2, "leased", "worker-2", Duration.ofMinutes(5));
        assertThat(worker2.load("leased")).as("leases leave the watermark alone").contains(new StoredWatermark(table(T0), 1));
        taken.release();
    }

    @Test
    void leasesOfDifferentSyncsAreIndependentAndCommitsStayCompareAndSet() throws Exception {
        assumeTrue(supportsLeases(), "the store has no leases");
        WatermarkStore store = newStore();
        Lease a = acquireLease(store, "lease-a", "worker-1", Duration.ofMinutes(1));
        Lease b = acquireLease(newStore(), "lease-b", "worker-2", Duration.ofMinutes(1));
        long version = store.commit("lease-a", 0, table(T0));
        assertThatThrownBy(() -> store.commit("lease-a", 0, table(T0))).as("holding the lease does not lift compare-and-set")
                .isInstanceOf(CdiException.ConcurrentRun.class);
        assertThat(store.load("lease-a")).contains(new StoredWatermark(table(T0), version));
        a.release();
        b.release();
    }

    /** A table watermark at {@code at} with one delivered row at the edge. */
    protected static TableWatermark table(Instant at) {
        return new TableWatermark(at, List.of(new DeliveredRow(at, "fp-" + at.getEpochSecond())));
    }
}
