package io.cdisync.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one scenario cost this JVM: process CPU time (all threads: the sync, OkHttp, the pacer, GC, JIT),
 * the CPU time of the measuring thread (the sync's own, when the sync runs on it), and the
 * peak of used heap, sampled every 5 ms by a daemon thread (so it sees garbage too, as the GC does).
 */
final class Measurement implements AutoCloseable {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long startNanos = System.nanoTime();
    private final long startCpu = OS.getProcessCpuTime();
    private final long startThreadCpu = THREADS.getCurrentThreadCpuTime();
    private final AtomicLong peakHeap = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;
    private long endNanos;
    private long endCpu;
    private long endThreadCpu;

    Measurement() {
        System.gc(); // start each scenario from a clean heap, so peaks are the scenario's own
        sampler = new Thread(() -> {
            while (running) {
                peakHeap.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Stops measuring; idempotent. */
    @Override
    public void close() {
        if (running) {
            running = false;
            endNanos = System.nanoTime();
            endCpu = OS.getProcessCpuTime();
            endThreadCpu = THREADS.getCurrentThreadCpuTime();
            peakHeap.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
        }
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    double cpuSeconds() {
        return (endCpu - startCpu) / 1e9;
    }

    /** CPU of the thread that made and closed this measurement: the sync's own thread (reads, translates, sends). */
    double threadCpuSeconds() {
        return (endThreadCpu - startThreadCpu) / 1e9;
    }

    double peakHeapMb() {
        return peakHeap.get() / (1024.0 * 1024.0);
    }

    static double maxHeapMb() {
        return MEMORY.getHeapMemoryUsage().getMax() / (1024.0 * 1024.0);
    }
}
