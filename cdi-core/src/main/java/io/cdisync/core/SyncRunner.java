package io.cdisync.core;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.internal.RunSettings;
import io.cdisync.core.internal.SyncRun;
import io.cdisync.core.spi.IdentifierResolver;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.WatermarkStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Runs one sync: reads new rows from a {@link SourceConnector}, turns them into Braze objects, sends
 * them through a {@link BrazeClient}, and advances the sync's watermark in a {@link WatermarkStore}
 * only over rows that are delivered or definitively rejected.
 *
 * <p>Immutable and reusable: call {@link #run()} from your scheduler as often as you like (one call at
 * a time per sync id; the store's compare-and-set refuses a second concurrent runner). Each call
 * returns a {@link SyncReport}; a global failure ends the run with status
 * {@link SyncStatus#ERROR} and {@link SyncReport#failure()} set rather than throwing.
 *
 * <pre>{@code
 * SyncRunner runner = SyncRunner.builder()
 *         .syncId("users-attributes")
 *         .dataType(DataType.USER_ATTRIBUTES)
 *         .source(source)
 *         .braze(brazeClient)
 *         .watermarkStore(new FileWatermarkStore(Path.of("state")))
 *         .lookback(Duration.ofMinutes(10))
 *         .build();
 * SyncReport report = runner.run();
 * }</pre>
 *
 * <p>Guarantees (each proven by tests): no row missed (ties at the watermark, late rows within the
 * lookback, rows newer than now wait); no row lost (a crash at any point, then a rerun, delivers every
 * undelivered row); one user's rows reach Braze in UPDATED_AT order at any concurrency; row problems
 * are reported per row while the rest goes on.
 *
 * <p>Requests are shaped as Braze requires: at most the client's
 * {@link io.cdisync.braze.BrazeClient#trackObjectsPerRequest() objects per request} and
 * {@link io.cdisync.braze.BrazeClient#maxRequestBytes() bytes per body}, a catalog item id at most once per
 * request, one identifier kind per {@code /users/delete}. When Braze refuses a whole request but names the
 * objects at fault, those rows are row errors with Braze's reason and the others are sent again: a row counts as
 * delivered only once Braze accepted it, and the watermark never passes a row that was not.
 */
public final class SyncRunner {
    private static final Pattern SYNC_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final RunSettings settings;

    private SyncRunner(RunSettings settings) {
        this.settings = settings;
    }

    /** A builder; {@code syncId}, {@code source}, {@code braze} and {@code watermarkStore} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs the sync once, on the calling thread, and reports what it did. */
    public SyncReport run() {
        return new SyncRun(settings, false).execute();
    }

    /**
     * Reads and validates rows and builds the Braze requests, but sends nothing and moves no
     * watermark. The report says what a real run would deliver and which rows would fail.
     */
    public SyncReport dryRun() {
        return new SyncRun(settings, true).execute();
    }

    /**
     * The next {@code limit} rows a run would read (from the watermark, minus the lookback), each with the
     * Braze object it would become or its row error. Sends nothing; moves no watermark.
     *
     * @throws CdiException when the source or the store fails
     */
    public java.util.List<PreviewRow> preview(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return io.cdisync.core.internal.Previewer.preview(settings, limit);
    }

    /** The sync's id. */
    public String syncId() {
        return settings.syncId();
    }

    @Override
    public String toString() {
        return "SyncRunner{syncId=" + settings.syncId() + ", dataType=" + settings.dataType() + ", source="
                + settings.source().describe() + "}";
    }

    /** Settings of a {@link SyncRunner}, with named defaults. */
    public static final class Builder {
        private String syncId;
        private DataType dataType = DataType.USER_ATTRIBUTES;
        private String catalog;
        private SourceConnector source;
        private BrazeClient braze;
        private WatermarkStore store;
        private IdentifierResolver resolver = IdentifierResolver.braze();
        private Duration lookback = Duration.ZERO;
        private Duration settleDelay = Duration.ZERO;
        private long maxRowsPerRun = Long.MAX_VALUE;
        private int concurrency = 128;
        private boolean updateExistingOnly;
        private Duration checkpointInterval = Duration.ofSeconds(1);
        private int fetchSize = 1_000;
        private int maxReportedErrors = 1_000;
        private SyncListener listener = new SyncListener() { };
        private Clock clock = Clock.systemUTC();
        private Duration runTimeout;

        private Builder() {
        }

        /** The sync's id: letters, digits, '.', '_' and '-', up to 128 characters. Keys its watermark. */
        public Builder syncId(String syncId) {
            Objects.requireNonNull(syncId, "syncId");
            if (!SYNC_ID.matcher(syncId).matches()) {
                throw new IllegalArgumentException("syncId '" + syncId + "' must be 1-128 letters, digits, '.', '_' or '-',"
                        + " starting with a letter or digit");
            }
            this.syncId = syncId;
            return this;
        }

        /** What the sync sends (default {@link DataType#USER_ATTRIBUTES}). */
        public Builder dataType(DataType dataType) {
            this.dataType = Objects.requireNonNull(dataType, "dataType");
            return this;
        }

        /** The catalog a {@link DataType#CATALOG_ITEMS} sync writes to (required for that type, refused for others). */
        public Builder catalog(String catalog) {
            Objects.requireNonNull(catalog, "catalog");
            if (catalog.isBlank()) {
                throw new IllegalArgumentException("catalog must not be blank");
            }
            this.catalog = catalog;
            return this;
        }

        /** Where rows come from. */
        public Builder source(SourceConnector source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** The Braze client to send through; its rate limits and retries apply. */
        public Builder braze(BrazeClient braze) {
            this.braze = Objects.requireNonNull(braze, "braze");
            return this;
        }

        /** Where the sync's watermark lives. */
        public Builder watermarkStore(WatermarkStore store) {
            this.store = Objects.requireNonNull(store, "watermarkStore");
            return this;
        }

        /** How rows name users (default: Braze's rules, {@link IdentifierResolver#braze()}). */
        public Builder identifierResolver(IdentifierResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "identifierResolver");
            return this;
        }

        /**
         * How far below the watermark each run re-reads, to catch rows committed late with an older
         * UPDATED_AT (default zero). Rows already delivered in that window are not sent again.
         */
        public Builder lookback(Duration lookback) {
            this.lookback = nonNegative("lookback", lookback);
            return this;
        }

        /**
         * Rows with UPDATED_AT later than the run's start minus this delay wait for a later run
         * (default zero: rows up to now). Use it when the warehouse commits rows a little after their UPDATED_AT.
         */
        public Builder settleDelay(Duration settleDelay) {
            this.settleDelay = nonNegative("settleDelay", settleDelay);
            return this;
        }

        /** Most rows one run takes; the next run continues from the checkpoint (default unlimited). */
        public Builder maxRowsPerRun(long maxRowsPerRun) {
            if (maxRowsPerRun < 1) {
                throw new IllegalArgumentException("maxRowsPerRun must be at least 1, was " + maxRowsPerRun);
            }
            this.maxRowsPerRun = maxRowsPerRun;
            return this;
        }

        /**
         * Braze requests this sync keeps in flight (default 128), counting those waiting for a rate-limit
         * slot. One user's rows still arrive in order, and requests stay full (75 rows) whatever the setting.
         * To run at Braze's rate limit, keep it above the limit times Braze's latency: 1,000 requests/s x
         * 0.08 s = 80 (the default covers up to ~120 ms); at 200 ms, use 256. Rows read ahead grow with it
         * (at most 3 x 75 rows per request in flight, and about 48 MiB), so more costs heap. Keep it at or
         * below the client's {@code maxRequestsInFlight}.
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1 || concurrency > 1024) {
                throw new IllegalArgumentException("concurrency must be 1 to 1024, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * Sends {@code _update_existing_only: true} on every object: Braze updates existing users and creates none.
         * Off (the default), objects naming a user by alias carry {@code _update_existing_only: false}, so alias
         * users Braze does not know yet are created as Braze CDI creates them: without the flag Braze treats an
         * alias object as update-only ("When using a user_alias, 'Update Only' defaults to true") and silently
         * drops it. Attributes, events and purchases all take the flag; a PAYLOAD that sets it keeps its value.
         */
        public Builder updateExistingOnly(boolean updateExistingOnly) {
            this.updateExistingOnly = updateExistingOnly;
            return this;
        }

        /** Least time between watermark commits during a run (default 1 s); the end of a run always commits. */
        public Builder checkpointInterval(Duration checkpointInterval) {
            this.checkpointInterval = nonNegative("checkpointInterval", checkpointInterval);
            return this;
        }

        /** Rows per batch asked of the source (default 1,000). */
        public Builder fetchSize(int fetchSize) {
            if (fetchSize < 1) {
                throw new IllegalArgumentException("fetchSize must be at least 1, was " + fetchSize);
            }
            this.fetchSize = fetchSize;
            return this;
        }

        /** Row errors kept in the report (default 1,000); the rest are counted. */
        public Builder maxReportedErrors(int maxReportedErrors) {
            if (maxReportedErrors < 0) {
                throw new IllegalArgumentException("maxReportedErrors must not be negative, was " + maxReportedErrors);
            }
            this.maxReportedErrors = maxReportedErrors;
            return this;
        }

        /** Receives progress, row errors, checkpoints and global errors. */
        public Builder listener(SyncListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Longest time one run may take (default: no limit). A run past it stops reading, abandons what is in
         * flight (those rows stay undone: the watermark does not pass them) and ends with
         * {@link CdiException.TimedOut}. Bounds a run against a Braze that never answers.
         */
        public Builder runTimeout(Duration runTimeout) {
            Objects.requireNonNull(runTimeout, "runTimeout");
            if (runTimeout.isNegative() || runTimeout.isZero()) {
                throw new IllegalArgumentException("runTimeout must be positive, was " + runTimeout);
            }
            this.runTimeout = runTimeout;
            return this;
        }

        /** The clock that decides "now" (settle delay, report times); for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the runner.
         *
         * @throws IllegalStateException naming the first missing setting
         */
        public SyncRunner build() {
            if (syncId == null) {
                throw new IllegalStateException("syncId is required");
            }
            if (source == null) {
                throw new IllegalStateException("source is required");
            }
            if (braze == null) {
                throw new IllegalStateException("braze is required (a BrazeClient)");
            }
            if (store == null) {
                throw new IllegalStateException("watermarkStore is required");
            }
            if (dataType == DataType.CATALOG_ITEMS && catalog == null) {
                throw new IllegalStateException("catalog is required for a CATALOG_ITEMS sync (the catalog's name in Braze)");
            }
            if (dataType != DataType.CATALOG_ITEMS && catalog != null) {
                throw new IllegalStateException("catalog is set but dataType is " + dataType + "; only CATALOG_ITEMS syncs write to a catalog");
            }
            return new SyncRunner(new RunSettings(syncId, dataType, catalog, source, braze, store, resolver, lookback, settleDelay,
                    maxRowsPerRun, concurrency, updateExistingOnly, checkpointInterval, fetchSize, maxReportedErrors,
                    listener, clock, runTimeout));
        }

        private static Duration nonNegative(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + value);
            }
            return value;
        }
    }
}
