package io.cdisync.testkit.contract;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.testkit.FakeTable;
import io.cdisync.testkit.FakeWarehouse;
import java.util.List;

/** {@link FakeWarehouse}'s connector: it does not filter {@code until}, like a warehouse that cannot. */
class FakeWarehouseConnectorContractTest extends SourceConnectorContract {
    private final FakeWarehouse warehouse = new FakeWarehouse();
    private int tables;

    @Override
    protected SourceConnector createSource(List<ContractRow> rows) {
        FakeTable table = warehouse.createTable("contract_" + ++tables);
        for (ContractRow row : rows) {
            table.insert(FakeTable.attributes(row.updatedAt(), row.id(), row.payload()));
        }
        return warehouse.connector(table.name());
    }

    @Override
    protected boolean filtersUntil() {
        return false;
    }

    @Override
    protected boolean failReadsInProgress(SourceConnector source) {
        String table = source.describe().substring("fake table ".length());
        warehouse.table(table).failReadAfter(0, new CdiException.ConnectionFailed("connection to the fake warehouse lost", null));
        return true;
    }
}
