package io.cdisync.core.ops;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.SyncListener;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.ops.internal.AlertRules;
import io.cdisync.core.ops.internal.FailedRowRetry;
import io.cdisync.core.ops.internal.RunGuards;
import io.cdisync.core.ops.internal.RunRecording;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.WatermarkStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs integrations the way Braze's dashboard does: one run of an integration at a time, each run in
 * the {@link RunLog} (status, counts, every failed row), alerts to its contacts through a
 * {@link Notifier}, and failed rows retried on demand. The host owns the scheduler: it asks an
 * integration's {@link io.cdisync.core.schedule.Schedule} for the next run time and calls {@link #run(String)}
 * then; "sync now" is the same call and does not move the schedule.
 *
 * <pre>{@code
 * IntegrationRunner runner = IntegrationRunner.builder()
 *         .integrations(integrations)                          // where integrations and credentials live
 *         .sources(SourceFactory.fromProviders(classLoader))   // how a source is opened from credentials
 *         .braze(brazeClient)
 *         .watermarkStore(watermarkStore)                      // a JdbcWatermarkStore adds leases across workers
 *         .runLog(runLog)
 *         .notifier(SmtpNotifier.builder()...build())
 *         .tuning(b -> b.lookback(Duration.ofMinutes(10)).concurrency(8))
 *         .build();
 * RunResult result = runner.run("users-attributes");
 * RetryResult retry = runner.retryFailedRows("users-attributes");
 * }</pre>
 *
 * <p>A second run of an integration while one is in progress (in this runner, or, with a
 * {@code JdbcWatermarkStore}, on any worker sharing it) fails at once with
 * {@link CdiException.ConcurrentRun} "another run of X is in progress". Use one runner per process.
 * Thread-safe: different integrations may run at once on different threads.
 */
public final class IntegrationRunner {
    private static final Logger log = LoggerFactory.getLogger(IntegrationRunner.class);

    private final Integrations integrations;
    private final SourceFactory sources;
    private final RunLog runLog;
    private final BrazeClient braze;
    private final WatermarkStore store;
    private final Notifier notifier;
    private final SyncListener listener;
    private final Consumer<SyncRunner.Builder> tuning;
    private final Clock clock;
    private final int maxRowsPerRetry;
    private final RunGuards guards;

    private IntegrationRunner(Builder b) {
        this.integrations = b.integrations;
        this.sources = b.sources;
        this.runLog = b.runLog;
        this.braze = b.braze;
        this.store = b.store;
        this.notifier = b.notifier;
        this.listener = b.listener;
        this.tuning = b.tuning;
        this.clock = b.clock;
        this.maxRowsPerRetry = b.maxRowsPerRetry;
        this.guards = new RunGuards(b.leaseOwner, b.leaseTtl, b.clock);
    }

    /** A builder; {@code runLog}, {@code braze} and {@code watermarkStore} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the active integration {@code name} now, on the calling thread: opens its source from its
     * credentials, syncs, records the run and its failed rows, and sends its alerts.
     *
     * @throws OpsException.NotFound       when there is no such integration
     * @throws OpsException.Refused        {@link OpsException.Rule#WRONG_STATE} unless it is active
     * @throws CdiException.ConcurrentRun  "another run of X is in progress"
     * @throws OpsException.StoreFailure   when the run log cannot record the run's start
     * @throws IllegalStateException       when this runner has no {@link Integrations} or {@link SourceFactory}
     */
    public RunResult run(String name) {
        if (integrations == null || sources == null) {
            throw new IllegalStateException("run(name) needs integrations(...) and sources(...) on the builder; or call run(integration, source)");
        }
        Integration integration = integrations.get(name);
        Credentials credentials = integrations.credentials(integration.credentials()).orElse(null);
        return execute(integration, credentials, () -> {
            if (credentials == null) {
                throw new CdiException.ConfigurationError("integration " + name + " names credentials " + integration.credentials()
                        + ", which do not exist; save them again");
            }
            return sources.open(integration, credentials);
        }, true);
    }

    /**
     * Runs an active integration the host describes itself, reading {@code source} (which the caller
     * keeps open and closes). For hosts that keep integrations in their own configuration.
     *
     * @throws OpsException.Refused       {@link OpsException.Rule#WRONG_STATE} unless it is active
     * @throws CdiException.ConcurrentRun "another run of X is in progress"
     */
    public RunResult run(Integration integration, SourceConnector source) {
        Objects.requireNonNull(source, "source");
        return execute(integration, null, () -> source, false);
    }

    /**
     * Re-sends the failed rows of integration {@code name} kept with their payload, independently of its
     * watermark: rows Braze accepts leave the run log, rows failing again stay with the new reason.
     *
     * @throws OpsException.Refused      {@link OpsException.Rule#WRONG_STATE} for a draft
     * @throws CdiException.ConcurrentRun when a run of the integration is in progress
     */
    public RetryResult retryFailedRows(String name) {
        if (integrations == null) {
            throw new IllegalStateException("retryFailedRows(name) needs integrations(...) on the builder");
        }
        Integration integration = integrations.get(name);
        return retry(integration, integrations.credentials(integration.credentials()).orElse(null));
    }

    /** {@link #retryFailedRows(String)} for an integration the host describes itself. */
    public RetryResult retryFailedRows(Integration integration) {
        return retry(integration, null);
    }

    private RunResult execute(Integration integration, Credentials credentials, Supplier<SourceConnector> open, boolean close) {
        Objects.requireNonNull(integration, "integration");
        if (integration.state() != IntegrationState.ACTIVE) {
            throw new OpsException.Refused(OpsException.Rule.WRONG_STATE, "integration " + integration.name() + " is "
                    + integration.state() + "; only an active integration runs", List.of(integration.name()));
        }
        try (RunGuards.Held guard = guards.acquire(integration.name(), store)) {
            RunRecord running = RunRecord.running(newRunId(), integration.name(), RunRecord.Kind.SYNC, clock.instant());
            runLog.runStarted(running);
            log.info("integration {}: run {} started", integration.name(), running.runId());
            SyncReport report;
            SourceConnector source = null;
            try {
                source = open.get();
                report = sync(integration, running.runId(), source, guard);
            } catch (CdiException e) {
                report = failedReport(integration, running.startedAt(), e);
            } finally {
                if (close && source != null) {
                    closeQuietly(source);
                }
            }
            RunRecord finished = running.finished(report);
            finish(finished);
            return new RunResult(finished, report, alert(integration, finished, credentials));
        }
    }

    private SyncReport sync(Integration integration, String runId, SourceConnector source, RunGuards.Held guard) {
        RunRecording recording = new RunRecording(integration.name(), runId, runLog, clock, integration.keepFailedRowPayloads(),
                source, listener);
        SyncRunner.Builder builder = tuned().source(recording.source()).watermarkStore(recording.store(store, guard::renewIfDue))
                .listener(recording);
        SyncReport report = build(builder, integration).run();
        try {
            recording.flush();
        } catch (RuntimeException e) {
            // Rows past the last commit only: the watermark stays before them, so the next run meets them again.
            log.warn("integration {}: run {}: cannot record its last failed rows: {}", integration.name(), runId, e.getMessage());
        }
        return report;
    }

    private RetryResult retry(Integration integration, Credentials credentials) {
        Objects.requireNonNull(integration, "integration");
        if (integration.state() == IntegrationState.DRAFT) {
            throw new OpsException.Refused(OpsException.Rule.WRONG_STATE, "integration " + integration.name()
                    + " is a draft; it has no failed rows to retry", List.of(integration.name()));
        }
        try (RunGuards.Held guard = guards.acquire(integration.name(), store)) {
            List<FailedRow> rows = new ArrayList<>();
            long[] notRetryable = new long[1];
            long[] over = new long[1];
            runLog.forEachFailedRow(integration.name(), row -> {
                if (!row.retryable()) {
                    notRetryable[0]++;
                } else if (rows.size() < maxRowsPerRetry) {
                    rows.add(row);
                } else {
                    over[0]++;
                }
            });
            if (rows.isEmpty()) {
                return new RetryResult(null, 0, 0, 0, notRetryable[0], over[0], List.of());
            }
            RunRecord running = RunRecord.running(newRunId(), integration.name(), RunRecord.Kind.RETRY, clock.instant());
            runLog.runStarted(running);
            log.info("integration {}: retry {} of {} failed rows started", integration.name(), running.runId(), rows.size());
            SyncRunner.Builder builder = tuned();
            FailedRowRetry.Outcome outcome;
            try {
                outcome = FailedRowRetry.run(integration, running.runId(), rows, builder, listener, clock);
            } catch (CdiException e) {
                outcome = new FailedRowRetry.Outcome(failedReport(integration, running.startedAt(), e), List.of(), List.of(), rows.size());
            }
            runLog.recordFailedRows(outcome.failedAgain());
            runLog.removeFailedRows(integration.name(), outcome.delivered());
            RunRecord finished = running.finished(outcome.report());
            finish(finished);
            return new RetryResult(finished, rows.size(), outcome.delivered().size(), outcome.failedAgain().size(), notRetryable[0],
                    outcome.unknown() + over[0], alert(integration, finished, credentials));
        }
    }

    private SyncRunner.Builder tuned() {
        SyncRunner.Builder builder = SyncRunner.builder();
        tuning.accept(builder);
        return builder.braze(braze).clock(clock);
    }

    private SyncRunner build(SyncRunner.Builder builder, Integration integration) {
        builder.syncId(integration.name()).dataType(integration.dataType());
        if (integration.catalog() != null) {
            builder.catalog(integration.catalog());
        }
        try {
            return builder.build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new CdiException.ConfigurationError("integration " + integration.name() + ": " + e.getMessage());
        }
    }

    private void finish(RunRecord finished) {
        try {
            runLog.runFinished(finished);
        } catch (RuntimeException e) {
            log.warn("integration {}: cannot record the end of run {} ({}): {}", finished.integration(), finished.runId(),
                    finished.status(), e.getMessage());
        }
        log.info("integration {}: run {} ended {}: read {}, delivered {}, failed {}", finished.integration(), finished.runId(),
                finished.status(), finished.rowsRead(), finished.rowsDelivered(), finished.rowsFailed());
    }

    private List<Alert> alert(Integration integration, RunRecord run, Credentials credentials) {
        List<Alert> alerts = AlertRules.alertsFor(integration, run, credentials);
        for (Alert alert : alerts) {
            try {
                notifier.send(alert);
            } catch (RuntimeException e) {
                log.warn("integration {}: the {} alert of run {} was not delivered: {}", integration.name(), alert.kind(), run.runId(),
                        e.getMessage());
            }
        }
        return alerts;
    }

    private SyncReport failedReport(Integration integration, Instant startedAt, CdiException failure) {
        log.warn("integration {}: run could not start: {}", integration.name(), failure.getMessage());
        return new SyncReport(integration.name(), integration.dataType(), SyncStatus.ERROR, false, 0, 0, 0, 0, 0, List.of(), 0, 0, 0,
                null, null, startedAt, Duration.between(startedAt, clock.instant()), failure);
    }

    private static String newRunId() {
        return UUID.randomUUID().toString();
    }

    private static void closeQuietly(SourceConnector source) {
        try {
            source.close();
        } catch (RuntimeException e) {
            log.debug("closing {} failed: {}", source.describe(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "IntegrationRunner{runLog=" + runLog + ", store=" + store + "}";
    }

    /** Settings of an {@link IntegrationRunner}. */
    public static final class Builder {
        private Integrations integrations;
        private SourceFactory sources;
        private RunLog runLog;
        private BrazeClient braze;
        private WatermarkStore store;
        private Notifier notifier = Notifier.none();
        private SyncListener listener = new SyncListener() { };
        private Consumer<SyncRunner.Builder> tuning = b -> { };
        private Clock clock = Clock.systemUTC();
        private String leaseOwner = defaultOwner();
        private Duration leaseTtl = Duration.ofMinutes(30);
        private int maxRowsPerRetry = 100_000;

        private Builder() {
        }

        /** Where integrations and credentials are kept; needed by the methods taking a name. */
        public Builder integrations(Integrations integrations) {
            this.integrations = Objects.requireNonNull(integrations, "integrations");
            return this;
        }

        /** How a source is opened from an integration's credentials; needed by {@link #run(String)}. */
        public Builder sources(SourceFactory sources) {
            this.sources = Objects.requireNonNull(sources, "sources");
            return this;
        }

        /** Where runs and failed rows are recorded (required). */
        public Builder runLog(RunLog runLog) {
            this.runLog = Objects.requireNonNull(runLog, "runLog");
            return this;
        }

        /** The Braze client (required). */
        public Builder braze(BrazeClient braze) {
            this.braze = Objects.requireNonNull(braze, "braze");
            return this;
        }

        /** Where watermarks live (required); a {@code JdbcWatermarkStore} also guards runs across workers with leases. */
        public Builder watermarkStore(WatermarkStore store) {
            this.store = Objects.requireNonNull(store, "watermarkStore");
            return this;
        }

        /** Where alerts go (default: nowhere). */
        public Builder notifier(Notifier notifier) {
            this.notifier = Objects.requireNonNull(notifier, "notifier");
            return this;
        }

        /** The host's listener, called for every event of every run (progress bars, metrics). */
        public Builder listener(SyncListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Settings applied to every run's {@link SyncRunner.Builder} (lookback, settle delay, concurrency,
         * row cap, timeouts...). The runner then sets the sync id, data type, catalog, source, Braze client,
         * watermark store, listener and clock itself.
         */
        public Builder tuning(Consumer<SyncRunner.Builder> tuning) {
            this.tuning = Objects.requireNonNull(tuning, "tuning");
            return this;
        }

        /** The clock for run times and leases (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Who holds leases (default host name and process id); unique per worker. */
        public Builder leaseOwner(String owner) {
            this.leaseOwner = Objects.requireNonNull(owner, "leaseOwner");
            return this;
        }

        /** How long a lease lasts without renewal (default 30 minutes); renewed at checkpoints once half has passed. */
        public Builder leaseTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "leaseTtl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("leaseTtl must be positive, was " + ttl);
            }
            this.leaseTtl = ttl;
            return this;
        }

        /** Most failed rows one retry re-sends (default 100,000); the rest wait for the next retry. */
        public Builder maxRowsPerRetry(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRowsPerRetry must be at least 1, was " + max);
            }
            this.maxRowsPerRetry = max;
            return this;
        }

        /**
         * Builds the runner.
         *
         * @throws IllegalStateException naming the first missing setting
         */
        public IntegrationRunner build() {
            if (runLog == null) {
                throw new IllegalStateException("runLog is required");
            }
            if (braze == null) {
                throw new IllegalStateException("braze is required (a BrazeClient)");
            }
            if (store == null) {
                throw new IllegalStateException("watermarkStore is required");
            }
            return new IntegrationRunner(this);
        }

        private static String defaultOwner() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "unknown-host";
            }
            String owner = host + "/" + ProcessHandle.current().pid();
            return owner.length() > 255 ? owner.substring(0, 255) : owner;
        }
    }
}
