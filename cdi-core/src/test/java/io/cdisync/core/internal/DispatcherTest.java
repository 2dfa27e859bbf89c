package io.cdisync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncListener;
import io.cdisync.core.spi.SourceRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher in a dry run: full requests while reading, partial ones when flushing, none once stopped. */
class DispatcherTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final List<RowError> errors = new ArrayList<>();
    final RunCounters counters = new RunCounters("s", DataType.USER_ATTRIBUTES, true, 100,
            new RunEvents("s", new SyncListener() {
                @Override
                public void onRowError(String syncId, RowError error) {
                    errors.add(error);
                }
            }));
    int rowsDoneCalls;

    Dispatcher dispatcher(long maxRequestBytes) {
        Endpoint endpoint = Endpoint.of(DataType.USER_ATTRIBUTES, null, 2, maxRequestBytes);
        return new Dispatcher("s", endpoint, null, 1, true, counters, () -> rowsDoneCalls++,
                e -> { throw new AssertionError("no failure expected: " + e); });
    }

    static List<PendingRow> rows(int n) {
        List<PendingRow> rows = new ArrayList<>();
        List<RowTranslator.Translated> translated = AnswerTest.users(n);
        for (int i = 0; i < n; i++) {
            PendingRow row = new PendingRow(T0, SourceRow.builder().rowKey("r" + i).updatedAt(T0).build(), i + 1, null, 0);
            row.translated = translated.get(i);
            rows.add(row);
        }
        return rows;
    }

    long delivered() {
        return counters.progress(Duration.ZERO).rowsDelivered();
    }

    @Test
    void sendsFullRequestsWhileReadingAndTheRestWhenFlushing() throws InterruptedException {
        Dispatcher dispatcher = dispatcher(4_000_000);
        List<PendingRow> rows = rows(3);
        for (PendingRow row : rows) {
            assertThat(dispatcher.queue(row)).isTrue();
        }
        assertThat(dispatcher.inFlight()).isEqualTo(1); // two rows make a full request; the third waits
        dispatcher.drain();
        assertThat(delivered()).isEqualTo(2);
        assertThat(rows).extracting(r -> r.done).containsExactly(true, true, false);
        assertThat(dispatcher.inFlight()).isZero(); // one row is no full request

        dispatcher.flush();
        dispatcher.sendReady(true);
        dispatcher.await(1000);
        assertThat(delivered()).isEqualTo(3);
        assertThat(rows.get(2).done).isTrue();
        assertThat(rowsDoneCalls).isEqualTo(2);
        assertThat(counters.report(T0, Duration.ZERO, false, null, null, null).requests()).isZero(); // a dry run sends none
    }

    @Test
    void aRowTooLargeForAnyRequestIsARowErrorAndDone() {
        Dispatcher dispatcher = dispatcher(30); // the framing is 17 bytes, a row 20
        PendingRow row = rows(1).get(0);
        assertThat(dispatcher.queue(row)).isFalse();
        assertThat(row.done).isTrue();
        assertThat(rowsDoneCalls).isEqualTo(1);
        assertThat(dispatcher.inFlight()).isZero();
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(RowError.Kind.INVALID_PAYLOAD);
            assertThat(error.rowKey()).isEqualTo("r0");
            assertThat(error.reason()).contains("at most 30 bytes");
        });
    }

    @Test
    void sendsNothingOnceStopped() {
        Dispatcher dispatcher = dispatcher(4_000_000);
        dispatcher.stop();
        for (PendingRow row : rows(4)) {
            dispatcher.queue(row);
        }
        dispatcher.sendReady(true);
        assertThat(dispatcher.inFlight()).isZero();
        assertThat(dispatcher.stopped()).isTrue();
    }
}
