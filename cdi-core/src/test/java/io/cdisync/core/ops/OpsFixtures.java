package io.cdisync.core.ops;

import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.schedule.Schedule;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceRow;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Values shared by the ops tests. */
final class OpsFixtures {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    static final String PASSWORD = "pw-Zq8vK2mN4xR7";

    private OpsFixtures() {
    }

    static Credentials warehouse(String name) {
        return Credentials.builder().name(name).type("jdbc").setting("url", "jdbc:postgresql://db:5432/dw")
                .setting("user", "braze").secret("password", Secret.of(PASSWORD)).build();
    }

    static Integration.Builder integration(String name, String credentials, String table) {
        return Integration.builder().name(name).dataType(DataType.USER_ATTRIBUTES).credentials(credentials).table(table)
                .contacts(List.of("data@example.com"));
    }

    /** One integration using every field, for round trips. */
    static Integration full(String name) {
        return Integration.builder().name(name).dataType(DataType.CATALOG_ITEMS).catalog("products").credentials("warehouse")
                .table("\"My Schema\".products_sync").schedule(Schedule.monthly(31, LocalTime.of(2, 30), ZoneId.of("Europe/Paris")))
                .contacts(List.of("a@example.com", "b@example.com"))
                .alerts(AlertSettings.GLOBAL_ERRORS_ONLY.withRowErrorPercentAbove(2.5).withOnSuccess(true).withOnNoRowsChanged(true))
                .keepFailedRowPayloads(true).state(IntegrationState.PAUSED)
                .lastConnectionTest(ConnectionTest.passed(T0)).build();
    }

    static List<Schedule> everySchedule() {
        ZoneId ny = ZoneId.of("America/New_York");
        return List.of(Schedule.every(Duration.ofMinutes(15), ny), Schedule.everyAllowingShortIntervals(Duration.ofMinutes(5), ny),
                Schedule.daily(LocalTime.of(3, 0), ny), Schedule.weekly(DayOfWeek.MONDAY, LocalTime.of(9, 15), ny),
                Schedule.monthly(31, LocalTime.NOON, ny));
    }

    static SourceConnector passing() {
        return request -> {
            throw new UnsupportedOperationException("not read in these tests");
        };
    }

    static SourceConnector failing(String message) {
        return new SourceConnector() {
            @Override
            public io.cdisync.core.spi.RowStream read(io.cdisync.core.spi.ReadRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void check() {
                throw new CdiException.AccessDenied(message, null);
            }
        };
    }

    static FailedRow failedRow(String integration, String rowKey, Instant updatedAt, Instant recordedAt, boolean keep) {
        SourceRow row = keep ? SourceRow.builder().rowKey(rowKey).updatedAt(updatedAt).externalId("user-" + rowKey)
                .payload("{\"plan\":\"gold\"}").build() : null;
        return FailedRow.of(integration, new RowError(rowKey, updatedAt, "external_id:user-" + rowKey, RowError.Kind.REJECTED_BY_BRAZE,
                "rejected by Braze: bad"), "run-1", recordedAt, row);
    }

    static SourceRow structuredRow() {
        return SourceRow.builder().rowKey("items#1").updatedAt(T0).id("sku-1").deleted(false)
                .payload(Map.of("name", "Shoe", "tags", List.of("run"))).build();
    }
}
