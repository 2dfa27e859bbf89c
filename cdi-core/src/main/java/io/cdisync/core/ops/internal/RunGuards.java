package io.cdisync.core.ops.internal;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.WatermarkStore;
import io.cdisync.core.store.JdbcWatermarkStore;
import io.cdisync.core.store.SyncLease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an integration at a time: a guard within this process, and, when the watermark store is a
 * {@link JdbcWatermarkStore}, its lease, so workers sharing the store refuse each other too. A refused
 * run fails with {@link CdiException.ConcurrentRun} "another run of X is in progress", as Braze's API
 * answers a second sync request.
 */
public final class RunGuards {
    private static final Logger log = LoggerFactory.getLogger(RunGuards.class);

    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final String owner;
    private final Duration ttl;
    private final Clock clock;

    public RunGuards(String owner, Duration ttl, Clock clock) {
        this.owner = owner;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Takes the guard of {@code integration}, or fails with {@link CdiException.ConcurrentRun}. */
    public Held acquire(String integration, WatermarkStore store) {
        if (!running.add(integration)) {
            throw inProgress(integration, "in this process");
        }
        try {
            SyncLease lease = null;
            if (store instanceof JdbcWatermarkStore jdbc) {
                try {
                    lease = jdbc.acquireLease(integration, owner, ttl);
                } catch (CdiException.ConcurrentRun e) {
                    throw inProgress(integration, e.getMessage());
                }
            }
            return new Held(integration, lease);
        } catch (RuntimeException e) {
            running.remove(integration);
            throw e;
        }
    }

    private static CdiException.ConcurrentRun inProgress(String integration, String detail) {
        return new CdiException.ConcurrentRun("another run of " + integration + " is in progress (" + detail + ");"
                + " wait for it to finish");
    }

    /** A held guard; {@link #close()} gives it back. */
    public final class Held implements AutoCloseable {
        private final String integration;
        private final SyncLease lease;
        private Instant renewed;

        Held(String integration, SyncLease lease) {
            this.integration = integration;
            this.lease = lease;
            this.renewed = clock.instant();
        }

        /**
         * Renews the lease once half its time to live has passed. Called before each watermark commit.
         *
         * @throws CdiException.ConcurrentRun when the lease was lost to another worker: the run must stop
         */
        public synchronized void renewIfDue() {
            if (lease != null && Duration.between(renewed, clock.instant()).compareTo(ttl.dividedBy(2)) >= 0) {
                lease.renew();
                renewed = clock.instant();
            }
        }

        @Override
        public void close() {
            try {
                if (lease != null) {
                    lease.release();
                }
            } catch (RuntimeException e) {
                log.warn("releasing the lease of {} failed (it expires by itself): {}", integration, e.getMessage());
            } finally {
                running.remove(integration);
            }
        }
    }
}
