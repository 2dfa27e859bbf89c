package io.cdisync.core.internal;

import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.BrazeException;
import io.cdisync.braze.BrazeResponse;
import io.cdisync.core.CdiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes translated rows to Braze: they wait in {@link Lanes} (a user's rows always in the same lane, a lane
 * part of at most one request in flight, so one user's rows reach Braze in order), go out in requests while
 * a slot is free, and come back with {@link Answer Braze's answer}: delivered, rejected (a row error), or
 * back to the front of their lanes to go again. A request Braze finds too large goes again in halves.
 *
 * <p>Answers arrive on the client's threads and are handed over through a queue; everything else runs on
 * the run's thread, without locks. A dry run answers every request itself, as if Braze took every row.
 */
final class Dispatcher {
    /** The run's log, whichever part of the run writes the line. */
    private static final Logger log = LoggerFactory.getLogger(SyncRun.class);
    /**
     * Lanes per request in flight. More lanes would let requests wait less for a busy lane, but spread each
     * lane's rows over more of the read order, so the watermark (which waits for the oldest row) would
     * trail further behind what was delivered: more rows sent twice after a crash.
     */
    private static final int LANES_PER_REQUEST = 1;
    private static final BrazeResponse DRY_RUN = new BrazeResponse(200, "dry run", List.of(), 0, 0);

    private final String syncId;
    private final Endpoint endpoint;
    private final BrazeClient braze;
    private final int concurrency;
    private final boolean dryRun;
    private final Lanes<PendingRow> lanes;
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final RunCounters counters;
    private final Runnable rowsDone;
    private final Consumer<CdiException> failed;
    private int inFlight;
    private boolean flushing;
    private boolean stopped;

    /**
     * @param rowsDone told when rows are done (the run moves its position)
     * @param failed   told of a failure that ends the run (Braze's, or an answer no row can take)
     */
    Dispatcher(String syncId, Endpoint endpoint, BrazeClient braze, int concurrency, boolean dryRun, RunCounters counters,
            Runnable rowsDone, Consumer<CdiException> failed) {
        this.syncId = syncId;
        this.endpoint = endpoint;
        this.braze = braze;
        this.concurrency = concurrency;
        this.dryRun = dryRun;
        this.lanes = new Lanes<>(LANES_PER_REQUEST * concurrency, endpoint.limits());
        this.counters = counters;
        this.rowsDone = rowsDone;
        this.failed = failed;
    }

    /**
     * Queues a translated row in its lane and sends what is ready. Returns false for a row too large to go in
     * any request: a row error, and the row is done.
     */
    boolean queue(PendingRow row) {
        row.kind = endpoint.kind(row.translated);
        row.key = endpoint.key(row.translated);
        row.bytes = endpoint.bytes(row.translated);
        if (!endpoint.limits().fits(row.bytes)) {
            tooLarge(row, row.bytes + endpoint.limits().framingBytes());
            return false;
        }
        lanes.add(row);
        sendReady(false);
        return true;
    }

    /**
     * Sends requests while a slot is free: full ones, or (when {@code partial}: flushing, or too much is
     * pending) whatever idle lanes hold.
     */
    void sendReady(boolean partial) {
        while (!stopped && inFlight < concurrency && (lanes.fullRequestReady() || (partial && lanes.readyRows() > 0))) {
            send(lanes.next());
        }
    }

    /** Requests sent and not answered (nor abandoned). */
    int inFlight() {
        return inFlight;
    }

    /** From now on every answer sends what idle lanes hold, full or not: the read is over. */
    void flush() {
        flushing = true;
    }

    /** Sends nothing more; answers of requests in flight are still taken. */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    /** Forgets the requests in flight: their rows stay undone, so the position does not pass them. */
    void abandon() {
        inFlight = 0;
    }

    /** Takes the answers that are in. */
    void drain() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            complete(completion);
        }
    }

    /** Waits up to {@code millis} for an answer, then takes the answers that are in. */
    void await(long millis) throws InterruptedException {
        Completion completion = completions.poll(millis, TimeUnit.MILLISECONDS);
        if (completion != null) {
            complete(completion);
            drain();
        }
    }

    /** Sends one batch: within the endpoint's limits, rows of one kind (see {@link Lanes}). */
    private void send(Lanes.Batch<PendingRow> batch) {
        List<RowTranslator.Translated> objects = new ArrayList<>(batch.rows().size());
        for (PendingRow row : batch.rows()) {
            objects.add(row.translated);
        }
        if (dryRun) {
            completions.add(new Completion(batch, objects, DRY_RUN, null));
        } else {
            endpoint.send(braze, objects)
                    .whenComplete((response, error) -> completions.add(new Completion(batch, objects, response, error)));
        }
        inFlight++;
    }

    private void complete(Completion completion) {
        inFlight--;
        Lanes.Batch<PendingRow> sent = completion.batch;
        if (completion.error != null) {
            if (unwrap(completion.error) instanceof BrazeException.TooLarge tooLarge && !stopped) {
                tooLarge(sent, tooLarge);
                return;
            }
            lanes.release(sent);
            failed.accept(brazeFailure(completion.error));
            return;
        }
        BrazeResponse response = completion.response;
        counters.answered(response, !dryRun);
        Answer answer = Answer.of(endpoint, response, completion.objects);
        if (answer.globalError() != null) {
            // Not pinned on a row (a full catalog, a refusal naming no object): the batch stays undone, so the
            // watermark stops before it.
            lanes.release(sent);
            failed.accept(new CdiException.BrazeFailure(answer.globalError(), response.statusCode(), null, false, null));
            return;
        }
        List<PendingRow> rows = sent.rows();
        List<PendingRow> again = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            PendingRow row = rows.get(i);
            switch (answer.outcome(i)) {
                case DELIVERED -> {
                    counters.delivered();
                    row.done = true;
                }
                case REJECTED -> {
                    counters.rowError(RowErrors.rejected(row, answer.reason(i)));
                    row.done = true;
                }
                case SEND_AGAIN -> again.add(row); // nothing of the request was written; the next request takes it
            }
        }
        lanes.release(sent, again);
        rowsDone.run();
        sendReady(flushing);
    }

    /**
     * Braze (or the client, before sending) found the request too large: half of it goes again at once, holding
     * the same lanes, and the other half waits at the front of its lanes for the answer. A row too large on its
     * own is a row error.
     */
    private void tooLarge(Lanes.Batch<PendingRow> batch, BrazeException.TooLarge error) {
        List<PendingRow> rows = batch.rows();
        if (rows.size() > 1) {
            log.debug("sync {}: a request of {} rows was too large ({} bytes); sending it in halves", syncId, rows.size(),
                    error.bytes());
            send(lanes.narrow(batch, rows.size() / 2));
            return;
        }
        lanes.release(batch);
        tooLarge(rows.get(0), error.bytes());
        sendReady(flushing);
    }

    /** A row error for a row whose request, holding it alone, is {@code requestBytes} long; the row is done. */
    private void tooLarge(PendingRow row, long requestBytes) {
        counters.rowError(RowErrors.tooLarge(row, requestBytes, endpoint.limits().bytes()));
        row.done = true;
        rowsDone.run();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static CdiException brazeFailure(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof BrazeException braze) {
            return new CdiException.BrazeFailure(braze.getMessage(), braze.statusCode(), braze.requestId(), braze.retryable(), braze);
        }
        return new CdiException("sending to Braze failed: " + cause, true, cause);
    }

    /** A request's answer (or failure), handed over from the client's thread. */
    private record Completion(Lanes.Batch<PendingRow> batch, List<RowTranslator.Translated> objects,
            BrazeResponse response, Throwable error) {
    }
}
