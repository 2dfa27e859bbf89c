package io.cdisync.redshift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.jdbc.TestDatabase;
import io.cdisync.core.jdbc.TestDatabase.UserRow;
import io.cdisync.core.store.JdbcWatermarkStore;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.FakeBraze;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * User attributes end to end: {@link RedshiftSource} (Amazon's driver, through the relay) -> {@code SyncRunner} ->
 * Braze client -> the testkit's {@link FakeBraze}, the watermark in a {@link JdbcWatermarkStore} on PostgreSQL,
 * as a deployment would keep it (Redshift enforces no unique keys, so it is no place for a watermark store).
 */
@ExtendWith({RedshiftStandIn.class, CdiTestExtension.class})
class RedshiftSyncTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    final RedshiftStandIn redshift = RedshiftStandIn.shared();
    final TestDatabase db = redshift.database();
    final String storeTable = TestDatabase.uniqueName("cdi_watermarks");

    JdbcWatermarkStore store() {
        return JdbcWatermarkStore.builder().connectionFactory(redshift.postgres().connections()).dialect(SqlDialect.postgres())
                .table(storeTable).build();
    }

    SyncRunner.Builder runner(RedshiftSource source, BrazeClient client) {
        return SyncRunner.builder().syncId("users").source(source).braze(client).watermarkStore(store()).clock(NOW)
                .checkpointInterval(Duration.ZERO);
    }

    static UserRow row(int second, String user, String payload) {
        return new UserRow(T0.plusSeconds(second), user, payload);
    }

    static List<String> externalIds(List<ObjectNode> objects) {
        return objects.stream().map(o -> o.path("external_id").asText()).toList();
    }

    @Test
    void equalTimestampRowsAddedAfterASyncArePickedUpAndDeliveredOnesAreNotResent(FakeBraze braze, BrazeClient client) {
        String table = db.createUsersTable();
        db.insertUsers(table, List.of(row(10, "a", "{\"v\":1}"), row(10, "b", "{\"v\":1}")));
        RedshiftSource source = redshift.source(table).build();
        SyncReport first = runner(source, client).build().run();
        assertThat(first.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(first.rowsDelivered()).isEqualTo(2);
        assertThat(first.watermarkAfter()).isEqualTo(T0.plusSeconds(10));

        db.insertUsers(table, List.of(row(10, "c", "{\"v\":1}"), row(10, "d", "{\"v\":1}")));
        SyncReport second = runner(source, client).build().run();

        assertThat(second.rowsDelivered()).isEqualTo(2);
        assertThat(second.rowsSkipped()).isEqualTo(2);
        assertThat(externalIds(braze.attributes())).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(braze.attributes()).allSatisfy(o -> assertThat(o.path("v").asInt()).isEqualTo(1));
    }

    @Test
    void lateRowsInsideTheLookbackArePickedUpWithoutResendingDeliveredOnes(FakeBraze braze, BrazeClient client) {
        String table = db.createUsersTable();
        List<UserRow> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(row(i * 10, "u" + i, "{\"v\":" + i + "}"));
        }
        db.insertUsers(table, rows);
        SyncRunner sync = runner(redshift.source(table).fetchSize(30).build(), client).lookback(Duration.ofMinutes(5)).build();
        assertThat(sync.run().rowsDelivered()).isEqualTo(100);

        // Committed late: 60 s and 250 s below the watermark (990 s), inside the lookback; 400 s below, outside it.
        db.insertUsers(table, List.of(row(930, "late-1", "{}"), row(740, "late-2", "{}"), row(590, "too-late", "{}")));
        SyncReport second = sync.run();

        assertThat(second.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(second.rowsDelivered()).isEqualTo(2);
        assertThat(second.rowsSkipped()).isEqualTo(31);
        assertThat(externalIds(braze.attributes())).contains("late-1", "late-2").doesNotContain("too-late").hasSize(102);
        assertThat(sync.run().rowsDelivered()).isZero();
    }

    @Test
    void oneUsersRowsReachBrazeInUpdatedAtOrder(FakeBraze braze, BrazeClient client) {
        String table = db.createUsersTable();
        List<UserRow> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            rows.add(row(i, "user-" + (i % 7), "{\"seq\":" + i + "}"));
        }
        db.insertUsers(table, rows);

        SyncReport report = runner(redshift.source(table).fetchSize(100).build(), client).concurrency(4).build().run();

        assertThat(report.rowsDelivered()).isEqualTo(600);
        for (int user = 0; user < 7; user++) {
            String id = "user-" + user;
            assertThat(braze.attributes().stream().filter(o -> o.path("external_id").asText().equals(id))
                    .map(o -> o.path("seq").asInt()).toList()).as(id).isSorted().hasSizeGreaterThan(80);
        }
    }

    @Test
    void aRefusedPasswordEndsTheSyncWithAccessDeniedAndTheWatermarkUnmoved(FakeBraze braze, BrazeClient client) {
        String table = db.createUsersTable();
        db.insertUsers(table, List.of(row(1, "a", "{}")));
        RedshiftSource source = redshift.source(table).build();
        assertThat(runner(source, client).build().run().status()).isEqualTo(SyncStatus.SUCCESS);
        db.insertUsers(table, List.of(row(2, "b", "{}")));

        SyncReport report = runner(source.toBuilder().password(Secret.of("rotated-away-771")).build(), client).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(report.failure()).isInstanceOf(CdiException.AccessDenied.class).hasMessageContaining("check the user and password");
        assertThat(report.toString()).doesNotContain("rotated-away-771");
        assertThat(report.watermarkAfter()).isEqualTo(T0.plusSeconds(1));
        assertThat(externalIds(braze.attributes())).containsExactly("a");
    }
}
