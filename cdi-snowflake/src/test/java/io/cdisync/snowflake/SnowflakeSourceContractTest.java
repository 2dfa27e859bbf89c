package io.cdisync.snowflake;

import io.cdisync.core.spi.SourceConnector;
import io.cdisync.testkit.contract.SourceConnectorContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;

/**
 * The testkit's {@link SourceConnectorContract} on {@link SnowflakeSource}: the real driver against
 * {@link FakeSnowflake}. The stub answers a query with its whole result at once, so nothing can fail mid-stream
 * and that test is skipped.
 */
class SnowflakeSourceContractTest extends SourceConnectorContract {
    @AutoClose
    final FakeSnowflake snowflake = FakeSnowflake.start();
    private int tables;

    @Override
    protected SourceConnector createSource(List<ContractRow> rows) {
        snowflake.user("CDI_USER", SnowflakeSourceTest.KEYS.publicKeyBase64());
        String name = "CONTRACT_" + ++tables;
        FakeSnowflakeTable table = snowflake.table("ANALYTICS", "BRAZE", name).column("UPDATED_AT", "TIMESTAMP_NTZ")
                .column("EXTERNAL_ID", "TEXT").column("PAYLOAD", "VARIANT");
        for (ContractRow row : rows) {
            Map<String, Object> values = new HashMap<>();
            values.put("UPDATED_AT", row.updatedAt());
            values.put("EXTERNAL_ID", row.id());
            values.put("PAYLOAD", row.payload());
            table.insert(values);
        }
        return SnowflakeSourceTest.source(snowflake).table(name.toLowerCase()).build();
    }
}
