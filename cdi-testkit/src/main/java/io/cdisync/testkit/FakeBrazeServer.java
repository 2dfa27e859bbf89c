package io.cdisync.testkit;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTP server of a {@link FakeBraze}, on the loopback address and an ephemeral port, with
 * a pool of daemon threads named {@code fake-braze-N} so that slow requests do not hold back others.
 */
final class FakeBrazeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FakeBraze.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
        // and delayed ACKs add ~40 ms to each keep-alive request. Read once, when the first JDK
        // HttpServer of the JVM starts; an explicit setting is left alone.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // The JDK server closes idle keep-alive connections beyond 200, so a client with more requests in
        // flight would reconnect over and over; Braze keeps them.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "1024");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String url;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Starts serving every path with {@code handler}. */
    FakeBrazeServer(HttpHandler handler) {
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-braze-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("FakeBraze could not open a port", e);
        }
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        this.url = "http://127.0.0.1:" + server.getAddress().getPort();
        LOG.debug("FakeBraze listening on {}", url);
    }

    /** {@code "http://127.0.0.1:PORT"}. */
    String url() {
        return url;
    }

    /** Stops listening and interrupts requests in progress. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("FakeBraze at {}: request threads still running after close", url);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("FakeBraze at {} closed", url);
    }
}
