package io.cdisync.testkit.contract;

import io.cdisync.core.jdbc.JdbcSource;
import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.spi.SourceConnector;
import java.util.List;

/**
 * {@link JdbcSource} on a real database; subclasses give it. The JDBC-only behaviour (column case, views, time
 * zones, catalogs, error messages, batch sizes) is tested in cdi-core.
 */
abstract class JdbcSourceConnectorContractTest extends SourceConnectorContract {
    abstract TestDatabase database();

    @Override
    protected SourceConnector createSource(List<ContractRow> rows) {
        TestDatabase db = database();
        String table = db.createUsersTable();
        db.insertUsers(table, rows.stream().map(r -> new TestDatabase.UserRow(r.updatedAt(), r.id(), r.payload())).toList());
        return JdbcSource.builder().connectionFactory(db.connections()).dialect(db.dialect()).table(table).build();
    }
}
