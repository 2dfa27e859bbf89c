package io.cdisync.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.CdiException;
import io.cdisync.core.jdbc.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcWatermarkStore} does on every database beyond the {@code WatermarkStore} contract (compare-and-set,
 * round trips, concurrent commits and the basic lease rules: cdi-testkit runs {@code WatermarkStoreContract} on it,
 * on PostgreSQL and DuckDB): lease expiry and renewal, corrupt rows, missing tables, bad arguments. Subclasses give
 * the database.
 */
abstract class JdbcWatermarkStoreTestBase {
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final String table = TestDatabase.uniqueName("watermarks");

    abstract TestDatabase database();

    JdbcWatermarkStore store() {
        return JdbcWatermarkStore.builder().connectionFactory(database().connections()).dialect(database().dialect())
                .table(table).clock(clock).build();
    }

    @Test
    void aSecondOwnerIsRefusedWhileTheLeaseIsLiveAndTakesItOverOnceExpired() {
        JdbcWatermarkStore worker1 = store();
        JdbcWatermarkStore worker2 = store();
        SyncLease lease = worker1.acquireLease("users", "worker-1", Duration.ofMinutes(5));
        assertThat(lease.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
        assertThat(worker1.load("users")).isEmpty(); // a lease alone is no watermark

        clock.advance(Duration.ofMinutes(4));
        assertThatThrownBy(() -> worker2.acquireLease("users", "worker-2", Duration.ofMinutes(5)))
                .isInstanceOf(CdiException.ConcurrentRun.class)
                .hasMessage("sync users is already running on worker-1 until 2026-03-01T10:05:00Z");
        assertThat(lease.renew()).isEqualTo(START.plus(Duration.ofMinutes(9)));
        assertThat(worker1.acquireLease("users", "worker-1", Duration.ofMinutes(5)).expiresAt())
                .as("the holder re-acquiring extends its lease").isEqualTo(START.plus(Duration.ofMinutes(9)));

        // worker-1 dies without releasing: once its lease expires, worker-2 takes over.
        clock.advance(Duration.ofMinutes(6));
        SyncLease taken = worker2.acquireLease("users", "worker-2", Duration.ofMinutes(5));
        assertThat(taken.owner()).isEqualTo("worker-2");
        assertThatThrownBy(lease::renew).isInstanceOf(CdiException.ConcurrentRun.class)
                .hasMessageContaining("was lost").hasMessageContaining("worker-2 holds it until 2026-03-01T10:15:00Z");
        lease.release(); // no effect: worker-1 no longer holds it
        assertThatThrownBy(() -> worker1.acquireLease("users", "worker-1", Duration.ofMinutes(5)))
                .isInstanceOf(CdiException.ConcurrentRun.class).hasMessageContaining("running on worker-2");

        try (SyncLease released = taken) {
            assertThat(worker2.commit("users", 0, FileWatermarkStoreTest.W1)).isEqualTo(1);
        }
        assertThatThrownBy(taken::renew).isInstanceOf(IllegalStateException.class);
        SyncLease again = worker1.acquireLease("users", "worker-1", Duration.ofMinutes(5));
        assertThat(again.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(worker1.load("users").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void aCorruptRowIsAClearErrorNotASilentRestart() {
        store().commit("s", 0, FileWatermarkStoreTest.W1);
        database().execute("UPDATE " + table + " SET watermark = '{\"kind\":\"tab' WHERE sync_id = 's'");
        assertThatThrownBy(() -> store().load("s")).isInstanceOf(CdiException.WatermarkStoreFailure.class)
                .hasMessageContaining("is not valid").hasMessageContaining(table);
    }

    @Test
    void aMissingTableThatMayNotBeCreatedIsAStoreFailureNamingIt() {
        JdbcWatermarkStore store = JdbcWatermarkStore.builder().connectionFactory(database().connections())
                .dialect(database().dialect()).table("no_such_watermarks").createTable(false).build();
        assertThatThrownBy(() -> store.load("s")).isInstanceOf(CdiException.WatermarkStoreFailure.class)
                .hasMessageContaining("no_such_watermarks");
    }

    @Test
    void invalidArgumentsAreRefusedBeforeTouchingTheDatabase() {
        JdbcWatermarkStore store = store();
        assertThatThrownBy(() -> store.load("bad id; drop table")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.acquireLease("s", " ", Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.acquireLease("s", "w", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
