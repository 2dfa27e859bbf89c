package io.cdisync.core.internal;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.DataType;
import io.cdisync.core.SyncListener;
import io.cdisync.core.spi.IdentifierResolver;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.WatermarkStore;
import java.time.Clock;
import java.time.Duration;

/** Everything one run needs, as validated by {@code SyncRunner.Builder}. */
public record RunSettings(String syncId, DataType dataType, String catalog, SourceConnector source, BrazeClient braze,
        WatermarkStore store, IdentifierResolver resolver, Duration lookback, Duration settleDelay, long maxRowsPerRun,
        int concurrency, boolean updateExistingOnly, Duration checkpointInterval, int fetchSize, int maxReportedErrors,
        SyncListener listener, Clock clock, Duration runTimeout) {
}
