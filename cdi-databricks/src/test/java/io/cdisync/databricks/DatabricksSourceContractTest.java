package io.cdisync.databricks;

import io.cdisync.core.spi.SourceConnector;
import io.cdisync.testkit.contract.SourceConnectorContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;

/**
 * The testkit's {@link SourceConnectorContract} on {@link DatabricksSource}: the real driver (REST mode) against
 * {@link FakeDatabricks}. The stub answers a statement with its whole result at once, so nothing can fail
 * mid-stream and that test is skipped.
 */
class DatabricksSourceContractTest extends SourceConnectorContract {
    @AutoClose
    final FakeDatabricks databricks = FakeDatabricks.start();
    private int tables;

    @Override
    protected SourceConnector createSource(List<ContractRow> rows) {
        String name = "contract_" + ++tables;
        FakeDatabricksTable table = databricks.table("main", "braze", name).column("updated_at", "TIMESTAMP")
                .column("external_id", "STRING").column("payload", "STRING");
        for (ContractRow row : rows) {
            Map<String, Object> values = new HashMap<>();
            values.put("updated_at", row.updatedAt());
            values.put("external_id", row.id());
            values.put("payload", row.payload());
            table.insert(values);
        }
        return DatabricksSourceTest.source(databricks).table(name).build();
    }
}
