package io.cdisync.redshift;

import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.testkit.contract.SourceConnectorContract;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The testkit's {@link SourceConnectorContract} on {@link RedshiftSource}: Amazon's driver against PostgreSQL behind
 * a test relay (PgStartupRelay), in a JVM (and so sessions) in America/New_York. The mid-stream failure test is skipped: the driver reads ahead
 * (up to 16 MB), so ending the session after the first batch of a small read breaks nothing that is still to come.
 */
@ExtendWith(RedshiftStandIn.class)
class RedshiftSourceContractTest extends SourceConnectorContract {
    private static TimeZone originalZone;

    final RedshiftStandIn redshift = RedshiftStandIn.shared();

    @BeforeAll
    static void jvmZoneIsNotUtc() {
        originalZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    }

    @AfterAll
    static void restoreZone() {
        TimeZone.setDefault(originalZone);
    }

    @Override
    protected SourceConnector createSource(List<ContractRow> rows) {
        TestDatabase db = redshift.database();
        String table = db.createUsersTable();
        db.insertUsers(table, rows.stream().map(r -> new TestDatabase.UserRow(r.updatedAt(), r.id(), r.payload())).toList());
        return redshift.source(table).build();
    }
}
