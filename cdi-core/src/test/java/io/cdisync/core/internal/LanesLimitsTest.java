package io.cdisync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a request may hold (unique keys, one kind, a byte budget) and rows that go back to the front of their lanes. */
class LanesLimitsTest {
    static final AtomicLong ORDER = new AtomicLong();

    record Row(String key, int version, int kind, int bytes, long order) implements Lanes.Row {
        Row(String key, int version, int kind, int bytes) {
            this(key, version, kind, bytes, ORDER.incrementAndGet());
        }

        @Override
        public int laneHash() {
            return key.hashCode() * 0x9E3779B9;
        }

        @Override
        public String toString() {
            return key + "v" + version;
        }
    }

    static Row row(String key, int version) {
        return new Row(key, version, 0, 10);
    }

    @Test
    void aLaterVersionOfAnItemWaitsForALaterRequest() {
        Lanes<Row> lanes = new Lanes<>(1, new Lanes.Limits(50, Long.MAX_VALUE, 0, true)); // one lane: all items share it
        lanes.add(row("a", 1));
        lanes.add(row("b", 1));
        lanes.add(row("a", 2));
        lanes.add(row("c", 1));
        lanes.add(row("a", 3));

        Lanes.Batch<Row> first = lanes.next();
        assertThat(first.rows()).extracting(Row::toString).containsExactly("av1", "bv1"); // a prefix of the lane, ids unique
        assertThat(lanes.next()).isNull(); // the lane is busy
        lanes.release(first);
        Lanes.Batch<Row> second = lanes.next();
        assertThat(second.rows()).extracting(Row::toString).containsExactly("av2", "cv1");
        lanes.release(second);
        assertThat(lanes.next().rows()).extracting(Row::toString).containsExactly("av3");
    }

    @Test
    void withoutUniqueKeysConsecutiveVersionsShareARequest() {
        Lanes<Row> lanes = new Lanes<>(1, Lanes.Limits.rows(50));
        lanes.add(row("a", 1));
        lanes.add(row("a", 2));
        assertThat(lanes.next().rows()).hasSize(2);
    }

    @Test
    void aRequestHoldsOneKindAndTheOtherKindsKeepTheirTurn() {
        Lanes<Row> lanes = new Lanes<>(64, Lanes.Limits.rows(50));
        List<Row> added = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            Row row = new Row("user-" + i, 1, i % 3, 10); // external ids, aliases, Braze ids interleaved
            added.add(row);
            lanes.add(row);
        }
        List<Row> sent = new ArrayList<>();
        Lanes.Batch<Row> batch;
        int requests = 0;
        while ((batch = lanes.next()) != null) {
            requests++;
            int kind = batch.rows().get(0).kind();
            assertThat(batch.rows()).extracting(Row::kind).containsOnly(kind);
            sent.addAll(batch.rows());
            lanes.release(batch);
        }
        assertThat(sent).containsExactlyInAnyOrderElementsOf(added);
        // 30 of each kind: a request per kind, plus a few where lanes shared by users of different kinds stop early
        assertThat(requests).isBetween(3, 8);
    }

    @Test
    void aRequestClosesBeforeItsBodyPassesTheByteLimit() {
        Random random = new Random(11);
        int framing = 17;
        long limit = 10_000;
        Lanes<Row> lanes = new Lanes<>(32, new Lanes.Limits(75, limit, framing, false));
        int total = 0;
        for (int i = 0; i < 500; i++) {
            lanes.add(new Row("u" + random.nextInt(200), i, 0, 1 + random.nextInt(1500)));
            total++;
        }
        lanes.add(new Row("huge", 0, 0, 20_000)); // alone over the limit: goes alone, for the caller to refuse
        total++;
        int sent = 0;
        boolean sawHugeAlone = false;
        Lanes.Batch<Row> batch;
        while ((batch = lanes.next()) != null) {
            long body = framing + batch.rows().size() - 1L + batch.rows().stream().mapToLong(Row::bytes).sum();
            if (batch.rows().size() > 1) {
                assertThat(body).isLessThanOrEqualTo(limit);
            } else if (batch.rows().get(0).key().equals("huge")) {
                sawHugeAlone = true;
            }
            sent += batch.rows().size();
            lanes.release(batch);
        }
        assertThat(sent).isEqualTo(total);
        assertThat(sawHugeAlone).isTrue();
    }

    @Test
    void aFullRequestIsReadyByBytesBeforeItIsByRows() {
        Lanes<Row> lanes = new Lanes<>(8, new Lanes.Limits(75, 1000, 10, false));
        for (int i = 0; i < 3; i++) {
            lanes.add(new Row("u" + i, 0, 0, 300));
        }
        assertThat(lanes.fullRequestReady()).isFalse(); // 10 + 900 + 2 bytes: room left
        lanes.add(new Row("u3", 0, 0, 300));
        assertThat(lanes.fullRequestReady()).isTrue();
        assertThat(lanes.next().rows()).hasSize(3);
    }

    @Test
    void rowsSentAgainGoBackToTheFrontOfTheirLanesAheadOfLaterRows() {
        Lanes<Row> lanes = new Lanes<>(4, Lanes.Limits.rows(50));
        Row a1 = row("a", 1);
        Row a2 = row("a", 2);
        Row b1 = row("b", 1);
        lanes.add(a1);
        lanes.add(a2);
        lanes.add(b1);
        Lanes.Batch<Row> batch = lanes.next();
        assertThat(batch.rows()).containsExactlyInAnyOrder(a1, a2, b1);
        Row a3 = row("a", 3);
        Row b2 = row("b", 2);
        lanes.add(a3); // arrive while the request is in flight
        lanes.add(b2);
        lanes.release(batch, List.of(a2, b1)); // a1 refused; nothing written, the others go again
        List<Row> next = lanes.next().rows();
        assertThat(next).containsExactlyInAnyOrder(a2, a3, b1, b2);
        assertThat(next.indexOf(a2)).isLessThan(next.indexOf(a3));
        assertThat(next.indexOf(b1)).isLessThan(next.indexOf(b2));
    }

    @Test
    void aNarrowedRequestKeepsItsLanesAndTheRestFollowsInOrder() {
        Lanes<Row> lanes = new Lanes<>(1, Lanes.Limits.rows(50));
        for (int i = 1; i <= 4; i++) {
            lanes.add(row("a", i));
        }
        Lanes.Batch<Row> whole = lanes.next();
        Lanes.Batch<Row> half = lanes.narrow(whole, 2);
        assertThat(half.rows()).extracting(Row::version).containsExactly(1, 2);
        lanes.add(row("a", 5));
        assertThat(lanes.next()).isNull(); // still busy: the second half waits for the first half's answer
        lanes.release(half);
        assertThat(lanes.next().rows()).extracting(Row::version).containsExactly(3, 4, 5);
    }

    @Test
    void rowsGoBackOnlyWhileTheirRequestHoldsTheLane() {
        Lanes<Row> lanes = new Lanes<>(1, Lanes.Limits.rows(50));
        Row a1 = row("a", 1);
        lanes.add(a1);
        Lanes.Batch<Row> batch = lanes.next();
        lanes.release(batch);
        assertThatThrownBy(() -> lanes.release(new Lanes.Batch<>(List.of(), List.of()), List.of(a1)))
                .isInstanceOf(IllegalStateException.class);
    }

    /**
     * Requests in flight answered in random order, some refusing a row and sending the others again: every
     * request holds an item at most once, one kind, and each item's versions are delivered in order, each once.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void underRandomAnswersEachItemsVersionsArriveInOrderOnce(long seed) {
        Random random = new Random(seed);
        Lanes<Row> lanes = new Lanes<>(8, new Lanes.Limits(20, 400, 12, true));
        Map<String, Integer> nextVersion = new HashMap<>();
        Map<String, Integer> done = new HashMap<>();
        List<Lanes.Batch<Row>> inFlight = new ArrayList<>();
        Set<String> keysInFlight = new HashSet<>();
        int added = 0;
        int finished = 0;
        while (finished < 3000) {
            int action = random.nextInt(4);
            if (added < 3000 && action < 2) {
                String key = "item-" + random.nextInt(120);
                int version = nextVersion.merge(key, 1, Integer::sum);
                lanes.add(new Row(key, version, version % 5 == 0 ? 1 : 0, 5 + random.nextInt(60)));
                added++;
            } else if (!inFlight.isEmpty() && (action == 2 || inFlight.size() >= 4)) {
                Lanes.Batch<Row> answered = inFlight.remove(random.nextInt(inFlight.size()));
                answered.rows().forEach(r -> keysInFlight.remove(r.key()));
                List<Row> again = new ArrayList<>();
                boolean nothingWritten = random.nextInt(4) == 0;
                for (Row row : answered.rows()) {
                    if (nothingWritten && random.nextInt(3) > 0) {
                        again.add(row);
                        continue;
                    }
                    assertThat(row.version()).as("order of %s", row.key()).isEqualTo(done.getOrDefault(row.key(), 0) + 1);
                    done.put(row.key(), row.version());
                    finished++;
                }
                lanes.release(answered, again);
            } else {
                Lanes.Batch<Row> batch = lanes.next();
                if (batch == null) {
                    continue;
                }
                assertThat(batch.rows()).isNotEmpty().hasSizeLessThanOrEqualTo(20);
                assertThat(batch.rows()).extracting(Row::kind).containsOnly(batch.rows().get(0).kind());
                Set<String> keys = new HashSet<>();
                long body = 12 + batch.rows().size() - 1L;
                for (Row row : batch.rows()) {
                    assertThat(keys.add(row.key())).as("%s twice in one request", row.key()).isTrue();
                    assertThat(keysInFlight).as("%s already in flight", row.key()).doesNotContain(row.key());
                    body += row.bytes();
                }
                assertThat(body).isLessThanOrEqualTo(400);
                keysInFlight.addAll(keys);
                inFlight.add(batch);
            }
        }
        assertThat(lanes.readyRows()).isZero();
        assertThat(done).isEqualTo(nextVersion);
    }
}
