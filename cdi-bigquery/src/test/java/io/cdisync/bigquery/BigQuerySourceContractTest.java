package io.cdisync.bigquery;

import io.cdisync.bigquery.FakeBigQuery.Column;
import io.cdisync.bigquery.FakeBigQuery.Route;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.testkit.contract.SourceConnectorContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;

/**
 * The testkit's {@link SourceConnectorContract} on {@link BigQuerySource}: the real client against {@link FakeBigQuery},
 * one stub per table (a stub serves one table). A failure mid-stream is the stub refusing the next page (the
 * read's permission revoked).
 */
class BigQuerySourceContractTest extends SourceConnectorContract {
    private final List<FakeBigQuery> stubs = new ArrayList<>();
    private final Map<SourceConnector, FakeBigQuery> stubOf = new IdentityHashMap<>();
    @AutoClose
    final AutoCloseable closeStubs = () -> stubs.forEach(FakeBigQuery::close);

    @Override
    protected SourceConnector createSource(List<ContractRow> rows) {
        FakeBigQuery bigquery = FakeBigQuery.start();
        stubs.add(bigquery);
        bigquery.table(BigQueryTestTables.PROJECT, BigQueryTestTables.DATASET, BigQueryTestTables.TABLE,
                new Column("UPDATED_AT", "TIMESTAMP"), new Column("EXTERNAL_ID", "STRING"), new Column("PAYLOAD", "JSON"));
        for (ContractRow row : rows) {
            Map<String, Object> values = new HashMap<>();
            values.put("UPDATED_AT", row.updatedAt());
            values.put("EXTERNAL_ID", row.id());
            values.put("PAYLOAD", row.payload());
            bigquery.insert(values);
        }
        BigQuerySource source = BigQueryTestTables.source(bigquery).build();
        stubOf.put(source, bigquery);
        return source;
    }

    @Override
    protected boolean failReadsInProgress(SourceConnector source) {
        FakeBigQuery bigquery = stubOf.get(source);
        for (Route route : List.of(Route.GET_QUERY_RESULTS, Route.LIST_DATA)) {
            bigquery.fail(route, 403, "accessDenied", "Access Denied: Table acme-analytics:braze.users_sync: Permission"
                    + " bigquery.tables.getData denied");
        }
        return true;
    }
}
