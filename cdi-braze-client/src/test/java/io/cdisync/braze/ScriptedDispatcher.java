package io.cdisync.braze;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer dispatcher that answers from a script (then 201 success), records when each request
 * arrived, and counts how many requests it is handling at once.
 */
final class ScriptedDispatcher extends Dispatcher {
    /** One request as the server saw it. */
    record Arrival(RecordedRequest request, long wallMillis, long nanos) {
        String body() {
            return request.getBody() == null ? "" : request.getBody().utf8();
        }
    }

    private final BlockingQueue<Function<RecordedRequest, MockResponse>> script = new LinkedBlockingQueue<>();
    private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile long holdMillis;
    private volatile CountDownLatch gate;

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse success() {
        return json(201, "{\"message\":\"success\"}");
    }

    ScriptedDispatcher then(MockResponse response) {
        script.add(request -> response);
        return this;
    }

    ScriptedDispatcher then(Function<RecordedRequest, MockResponse> response) {
        script.add(response);
        return this;
    }

    /** Every request is held this long before it is answered. */
    ScriptedDispatcher hold(long millis) {
        this.holdMillis = millis;
        return this;
    }

    /** Requests are held until {@code gate} opens. */
    ScriptedDispatcher gate(CountDownLatch gate) {
        this.gate = gate;
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        arrivals.add(new Arrival(request, System.currentTimeMillis(), System.nanoTime()));
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            CountDownLatch g = gate;
            if (g != null && !g.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            if (holdMillis > 0) {
                Thread.sleep(holdMillis);
            }
            Function<RecordedRequest, MockResponse> next = script.poll();
            return next == null ? success() : next.apply(request);
        } finally {
            concurrent.decrementAndGet();
        }
    }

    List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    int count() {
        return arrivals.size();
    }

    int concurrent() {
        return concurrent.get();
    }

    int maxConcurrent() {
        return maxConcurrent.get();
    }
}
