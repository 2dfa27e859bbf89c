package io.cdisync.databricks;

import java.time.Duration;

/** Waits between warm-up retries; tests inject one that returns at once (and moves their clock). */
@FunctionalInterface
public interface Sleeper {
    /** The real one: {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    /**
     * Waits for {@code duration}.
     *
     * @throws InterruptedException when the waiting thread is interrupted (the sync is being cancelled)
     */
    void sleep(Duration duration) throws InterruptedException;
}
