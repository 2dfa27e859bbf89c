package io.cdisync.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Measures how many full {@code /users/track} requests (75 attribute objects of the sample payload) a
 * fake Braze answers per second with no rate limit and no latency: its ceiling, which must sit well
 * above Braze's 1,000 requests/s for the end-to-end numbers to measure the sync and not the fake.
 */
final class CeilingProbe {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private CeilingProbe() {
    }

    /**
     * What the fake did over the measured window (after a warm-up).
     *
     * @param requestsPerSecond requests answered 201 per second
     * @param requests          requests answered 201
     * @param fakeCpuSeconds    the fake's CPU time over the window (NaN when unknown)
     */
    record Ceiling(double requestsPerSecond, long requests, double fakeCpuSeconds) {
        /** Requests per second one core of the fake answers: its capacity when it has a core to itself. */
        double requestsPerFakeCore() {
            return requests / fakeCpuSeconds;
        }
    }

    /** Sends {@code concurrency} requests at a time for {@code duration}, after 3 s of warm-up. */
    static Ceiling measure(String url, String apiKey, int concurrency, Duration duration, int payloadBytes,
            java.util.function.DoubleSupplier fakeCpu) throws InterruptedException {
        StringBuilder body = new StringBuilder("{\"attributes\":[");
        for (int i = 0; i < 75; i++) {
            String payload = SamplePayloads.payload(i, payloadBytes);
            body.append(i == 0 ? "" : ",").append("{\"external_id\":\"user-").append(i).append("\",")
                    .append(payload, 1, payload.length());
        }
        byte[] bytes = body.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(concurrency);
        dispatcher.setMaxRequestsPerHost(concurrency);
        OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(concurrency, 1, TimeUnit.MINUTES)).build();
        Semaphore permits = new Semaphore(concurrency);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Request request = new Request.Builder().url(url + "/users/track").header("Authorization", "Bearer " + apiKey)
                .post(RequestBody.create(bytes, JSON)).build();
        // Warm up both JVMs (JIT) for 3 s, then count.
        run(http, request, permits, System.nanoTime() + TimeUnit.SECONDS.toNanos(3), new AtomicLong(), failed);
        permits.acquire(concurrency); // the warm-up's requests are all answered
        permits.release(concurrency);
        double cpuBefore = fakeCpu.getAsDouble();
        long start = System.nanoTime();
        run(http, request, permits, start + duration.toNanos(), ok, failed);
        permits.acquire(concurrency);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = fakeCpu.getAsDouble() - cpuBefore;
        permits.release(concurrency);
        dispatcher.executorService().shutdown();
        http.connectionPool().evictAll();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " probe requests failed");
        }
        return new Ceiling(ok.get() / seconds, ok.get(), cpu);
    }

    private static void run(OkHttpClient http, Request request, Semaphore permits, long until, AtomicLong ok,
            AtomicLong failed) throws InterruptedException {
        while (System.nanoTime() - until < 0) {
            permits.acquire();
            http.newCall(request).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                    failed.incrementAndGet();
                    permits.release();
                }

                @Override
                public void onResponse(Call call, Response response) {
                    try (response) {
                        response.body().bytes();
                        (response.code() == 201 ? ok : failed).incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } finally {
                        permits.release();
                    }
                }
            });
        }
    }
}
