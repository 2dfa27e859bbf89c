package io.cdisync.core.ops;

import static io.cdisync.core.ops.OpsFixtures.integration;
import static io.cdisync.core.ops.OpsFixtures.warehouse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdisync.core.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every {@link IntegrationStore} does; subclasses give the store (each call a new instance on the same storage). */
abstract class IntegrationStoreContractTest {
    abstract IntegrationStore store();

    @Test
    void anEmptyStoreLoadsAsVersionZero() {
        assertThat(store().load()).isEqualTo(IntegrationSnapshot.EMPTY);
    }

    @Test
    void everyFieldRoundTripsAndCommitsAreCompareAndSet() {
        IntegrationStore store = store();
        IntegrationSnapshot first = IntegrationSnapshot.EMPTY.with(warehouse("warehouse")).with(OpsFixtures.full("products"));
        assertThat(store.commit(0, first)).isEqualTo(1);

        IntegrationSnapshot loaded = store().load();
        assertThat(loaded.version()).isEqualTo(1);
        assertThat(loaded.integrations()).isEqualTo(first.integrations());
        assertThat(loaded.credentials()).isEqualTo(first.credentials());
        assertThat(loaded.credentials().get("warehouse").secrets().get("password").reveal()).isEqualTo(OpsFixtures.PASSWORD);

        assertThatThrownBy(() -> store().commit(0, first)).isInstanceOf(OpsException.ConcurrentChange.class);
        assertThatThrownBy(() -> store().commit(2, first)).isInstanceOf(OpsException.ConcurrentChange.class);
        assertThat(store.commit(1, loaded.withoutIntegration("products"))).isEqualTo(2);
        assertThat(store().load().integrations()).isEmpty();
    }

    @Test
    void everyKindOfScheduleRoundTrips() {
        IntegrationSnapshot snapshot = IntegrationSnapshot.EMPTY.with(warehouse("warehouse"));
        int i = 0;
        for (Schedule schedule : OpsFixtures.everySchedule()) {
            snapshot = snapshot.with(integration("i" + i, "warehouse", "t" + i++).schedule(schedule).build());
        }
        store().commit(0, snapshot);
        assertThat(store().load().integrations()).isEqualTo(snapshot.integrations());
    }

    @Test
    void writersRacingToCreateIntegrationsOnOneTableMakeExactlyOne() throws Exception {
        new Integrations(store()).putCredentials(warehouse("warehouse"));
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CyclicBarrier start = new CyclicBarrier(writers);
            AtomicInteger created = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Integrations own = new Integrations(store()); // each writer its own store instance, as another process would
                Integration mine = integration("users-" + i, "warehouse", "ingestion.users").build();
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        own.create(mine);
                        created.incrementAndGet();
                    } catch (OpsException.Refused e) {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(created.get()).isEqualTo(1);
            assertThat(refused.get()).isEqualTo(writers - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store().load().integrations()).hasSize(1);
    }
}
