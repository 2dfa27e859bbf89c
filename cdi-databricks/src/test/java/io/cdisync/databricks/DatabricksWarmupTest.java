package io.cdisync.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A cold SQL warehouse (503 TEMPORARILY_UNAVAILABLE from the stub) through the real driver; time is a test clock. */
class DatabricksWarmupTest {
    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    final FakeDatabricks databricks = FakeDatabricks.start();
    final TestClock clock = new TestClock();
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final List<WarehouseWarmup> warmups = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        databricks.close();
    }

    DatabricksSource.Builder source() {
        return DatabricksSourceTest.source(databricks).clock(clock).warmupListener(warmups::add).sleeper(d -> {
            sleeps.add(d);
            clock.now = clock.now.plus(d);
        });
    }

    @Test
    void aStartingWarehouseIsWaitedForVisiblyAndTheReadSucceeds() {
        DatabricksSourceTest.usersTable(databricks, "STRING").insert(Map.of("updated_at", DatabricksSourceTest.T0, "external_id", "u1",
                "payload", "{}"));
        databricks.startingUntil(clock, START.plusSeconds(50));

        List<SourceRow> rows = DatabricksSourceTest.readAll(source().build(), null);

        assertThat(rows).extracting(SourceRow::externalId).containsExactly("u1");
        assertThat(warmups).extracting(WarehouseWarmup::message).containsExactly(
                "Databricks SQL warehouse is starting; retrying in 20 s (elapsed 0 s of 6 min)",
                "Databricks SQL warehouse is starting; retrying in 20 s (elapsed 20 s of 6 min)",
                "Databricks SQL warehouse is starting; retrying in 20 s (elapsed 40 s of 6 min)");
        assertThat(warmups).extracting(WarehouseWarmup::attempt).containsExactly(1, 2, 3);
        assertThat(warmups.get(0).reason()).contains("is starting");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20));
        assertThat(databricks.requests("POST", "/api/2.0/sql/warehouses/wh123/sessions").size()).isGreaterThan(3);
    }

    @Test
    void aWarehouseThatNeverStartsFailsAfterTheBoundedWait() {
        DatabricksSourceTest.usersTable(databricks, "STRING");
        databricks.startingUntil(clock, Instant.MAX);

        assertThatThrownBy(() -> source().warmupTimeout(Duration.ofMinutes(2)).build().check())
                .isInstanceOf(CdiException.ConnectionFailed.class)
                .hasMessageContaining("the Databricks SQL warehouse /sql/1.0/warehouses/wh123 on 127.0.0.1:")
                .hasMessageContaining("did not start within 2 min (7 attempts while checking main.braze.users_sync")
                .hasMessageContaining("raise warmupTimeout")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isTrue());
        assertThat(warmups).hasSize(6);
        assertThat(warmups.get(5).message()).isEqualTo("Databricks SQL warehouse is starting; retrying in 20 s (elapsed 1 min 40 s of 2 min)");
        assertThat(Duration.between(START, clock.now)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void onlyTheWarmUpIsRetried() {
        DatabricksSourceTest.usersTable(databricks, "STRING");

        assertThatThrownBy(() -> source().token(Secret.of("dapi-revoked")).build().check()).isInstanceOf(CdiException.AccessDenied.class);

        assertThat(warmups).isEmpty();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void theDefaultsAreSixMinutesAndTwentySeconds() {
        assertThat(DatabricksSource.Builder.DEFAULT_WARMUP_TIMEOUT).isEqualTo(Duration.ofMinutes(6));
        assertThat(DatabricksSource.Builder.DEFAULT_WARMUP_RETRY_INTERVAL).isEqualTo(Duration.ofSeconds(20));
        assertThat(WarehouseWarmup.human(Duration.ofSeconds(80))).isEqualTo("1 min 20 s");
    }

    /** A clock the sleeper moves. */
    static final class TestClock extends Clock {
        volatile Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
