package io.cdisync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lanes keep one user's rows in order, never put a user in two requests at once, and fill requests. */
class LanesTest {
    record Row(int user, int seq, boolean delete, long order) implements Lanes.Row {
        Row(int user, int seq, boolean delete) {
            this(user, seq, delete, COUNTER.incrementAndGet());
        }

        @Override
        public int laneHash() {
            return Integer.hashCode(user) * 0x9E3779B9;
        }

        @Override
        public int kind() {
            return delete ? 1 : 0;
        }

        @Override
        public int bytes() {
            return 10;
        }

        @Override
        public Object key() {
            return user;
        }
    }

    static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

    @Test
    void requestsFillUpFromManyLanesEvenWhenEachHoldsFewRows() {
        Lanes<Row> lanes = new Lanes<>(1024, Lanes.Limits.rows(75));
        for (int i = 0; i < 500; i++) {
            lanes.add(new Row(i, 0, false));
        }
        int requests = 0;
        Lanes.Batch<Row> batch;
        while ((batch = lanes.next()) != null) {
            requests++;
            assertThat(batch.rows().size()).isLessThanOrEqualTo(75);
        }
        assertThat(requests).isEqualTo(7); // 500 rows / 75, not one per lane
    }

    @Test
    void aUserIsInOneRequestAtATimeAndItsRowsKeepTheirOrder() {
        Random random = new Random(7);
        Lanes<Row> lanes = new Lanes<>(16, Lanes.Limits.rows(75));
        Map<Integer, Integer> nextSeq = new HashMap<>();
        Map<Integer, Integer> sent = new HashMap<>();
        List<Lanes.Batch<Row>> inFlight = new ArrayList<>();
        Set<Integer> usersInFlight = new HashSet<>();
        int added = 0;
        int delivered = 0;
        while (delivered < 20_000) {
            if (added < 20_000 && random.nextInt(3) > 0) {
                int user = random.nextInt(300);
                lanes.add(new Row(user, nextSeq.merge(user, 1, Integer::sum), random.nextInt(10) == 0));
                added++;
            } else if (!inFlight.isEmpty() && (random.nextBoolean() || inFlight.size() >= 4)) {
                Lanes.Batch<Row> done = inFlight.remove(random.nextInt(inFlight.size()));
                done.rows().forEach(r -> usersInFlight.remove(r.user()));
                lanes.release(done);
                delivered += done.rows().size();
            } else {
                Lanes.Batch<Row> batch = lanes.next();
                if (batch == null) {
                    continue;
                }
                assertThat(batch.rows()).isNotEmpty().hasSizeLessThanOrEqualTo(75);
                assertThat(batch.rows()).extracting(Row::delete).containsOnly(batch.rows().get(0).delete());
                Set<Integer> users = new HashSet<>();
                for (Row row : batch.rows()) {
                    assertThat(usersInFlight).as("user %s already in flight", row.user()).doesNotContain(row.user());
                    assertThat(row.seq()).as("order of user %s", row.user()).isEqualTo(sent.getOrDefault(row.user(), 0) + 1);
                    sent.put(row.user(), row.seq());
                    users.add(row.user());
                }
                usersInFlight.addAll(users);
                inFlight.add(batch);
            }
        }
        assertThat(lanes.readyRows()).isZero();
    }
}
