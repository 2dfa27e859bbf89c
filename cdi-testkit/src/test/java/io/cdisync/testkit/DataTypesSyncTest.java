package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.RateLimit;
import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Custom events, purchases, user deletes and catalog items end to end, with each type's bad rows. */
@ExtendWith(CdiTestExtension.class)
@ExtendWith(NoSecretsInLogs.class)
class DataTypesSyncTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    final InMemoryWatermarkStore store = new InMemoryWatermarkStore();
    final Map<String, String> expectedErrors = new HashMap<>();
    int second;

    SyncRunner.Builder runner(FakeWarehouse warehouse, BrazeClient client, DataType type) {
        return SyncRunner.builder().syncId("sync").dataType(type).source(warehouse.connector("t")).braze(client)
                .watermarkStore(store).clock(NOW);
    }

    SourceRow.Builder at() {
        return SourceRow.builder().updatedAt(T0.plusSeconds(second++));
    }

    void bad(FakeTable table, SourceRow row, String reason) {
        expectedErrors.put(table.insert(row).rowKey(), reason);
    }

    void assertErrors(SyncReport report) {
        Map<String, String> reasons = report.rowErrors().stream().collect(Collectors.toMap(RowError::rowKey, RowError::reason));
        assertThat(reasons.keySet()).containsExactlyInAnyOrderElementsOf(expectedErrors.keySet());
        expectedErrors.forEach((key, reason) -> assertThat(reasons.get(key)).as(key).contains(reason));
    }

    static void assertEveryRequestWithin(FakeBraze braze, String path, String array, int limit) {
        assertThat(braze.requests(path)).isNotEmpty().allSatisfy(request -> {
            JsonNode body = request.bodyJson();
            assertThat(body.path(array).size()).isBetween(1, limit);
            assertThat(request.status()).isBetween(200, 299);
        });
    }

    @Test
    void customEventsWithNestedPropertiesAndTimeDefaultingToUpdatedAt(FakeWarehouse warehouse, FakeBraze braze,
            BrazeClient client) {
        FakeTable table = warehouse.createTable("t");
        for (int i = 0; i < 200; i++) {
            table.insert(at().externalId("user-" + (i % 20)).payload("{\"name\":\"played\",\"properties\":{\"level\":" + i
                    + ",\"items\":[{\"sku\":\"a\",\"tags\":[\"x\"]}],\"meta\":{\"deep\":{\"er\":true}}}}").build());
        }
        table.insert(at().aliasName("anon-1").aliasLabel("device").payload(
                "{\"name\":\"opened\",\"time\":\"2025-12-31T10:00:00+02:00\",\"app_id\":\"app\"}").build());
        bad(table, at().externalId("e1").payload("{\"properties\":{}}").build(), "field 'name' is missing");
        bad(table, at().externalId("e2").payload("{\"name\":\"x\",\"time\":\"yesterday\"}").build(), "not an ISO-8601 time");
        bad(table, at().externalId("e3").payload("{\"name\":\"x\",\"properties\":{\"$bad\":1}}").build(), "starts with '$'");
        bad(table, at().externalId("e4").payload("{\"name\":\"x\",\"properties\":[1]}").build(), "'properties' is an array");
        bad(table, at().externalId("e5").payload("{\"name\":\"x\",\"level\":3}").build(), "field 'level' is not part of an event");
        bad(table, at().payload("{\"name\":\"x\"}").build(), "no identifier");

        SyncReport report = runner(warehouse, client, DataType.CUSTOM_EVENTS).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.PARTIAL_SUCCESS);
        assertThat(report.rowsDelivered()).isEqualTo(201);
        assertErrors(report);
        assertThat(braze.events()).hasSize(201);
        assertThat(braze.attributes()).isEmpty();
        ObjectNode first = braze.events().stream().filter(e -> e.path("properties").path("level").asInt(-1) == 0).findFirst().orElseThrow();
        assertThat(first.path("time").asText()).isEqualTo(T0.toString());
        assertThat(first.path("properties").path("items").get(0).path("tags").get(0).asText()).isEqualTo("x");
        assertThat(first.path("properties").path("meta").path("deep").path("er").asBoolean()).isTrue();
        ObjectNode aliased = braze.events().stream().filter(e -> e.has("user_alias")).findFirst().orElseThrow();
        assertThat(aliased.path("time").asText()).isEqualTo("2025-12-31T10:00:00+02:00");
        assertEveryRequestWithin(braze, "/users/track", "events", 75);
    }

    @Test
    void purchasesValidateProductCurrencyPriceAndQuantity(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable table = warehouse.createTable("t");
        for (int i = 0; i < 160; i++) {
            table.insert(at().email("buyer" + (i % 7) + "@example.com").payload("{\"product_id\":\"sku-" + i
                    + "\",\"currency\":\"EUR\",\"price\":" + (i + 0.99) + ",\"quantity\":" + (1 + i % 100)
                    + ",\"properties\":{\"lines\":[{\"color\":\"red\"}]}}").build());
        }
        bad(table, at().externalId("p1").payload("{\"product_id\":\"a\",\"currency\":\"EURO\",\"price\":1}").build(),
                "three-letter ISO 4217");
        bad(table, at().externalId("p2").payload("{\"product_id\":\"a\",\"currency\":\"USD\",\"price\":\"9.99\"}").build(),
                "'price' is a string; it must be a number");
        bad(table, at().externalId("p3").payload("{\"product_id\":\"a\",\"currency\":\"USD\",\"price\":1,\"quantity\":101}")
                .build(), "from 1 to 100");
        bad(table, at().externalId("p4").payload("{\"currency\":\"USD\",\"price\":1}").build(), "'product_id' is missing");
        bad(table, at().externalId("p5").payload("{\"product_id\":\"a\",\"currency\":\"USD\",\"price\":1,\"external_id\":\"x\"}")
                .build(), "identifier key 'external_id'");

        SyncReport report = runner(warehouse, client, DataType.PURCHASES).concurrency(4).build().run();

        assertThat(report.rowsDelivered()).isEqualTo(160);
        assertErrors(report);
        assertThat(braze.purchases()).hasSize(160).allSatisfy(p -> {
            assertThat(p.path("email").asText()).endsWith("@example.com");
            assertThat(p.path("time").asText()).startsWith("2026-01-01T");
        });
        assertThat(braze.purchases().get(0).path("properties").path("lines").get(0).path("color").asText()).isEqualTo("red");
        assertEveryRequestWithin(braze, "/users/track", "purchases", 75);
    }

    @Test
    void userDeletesGoToTheDeleteEndpointGroupedByIdentifierKind(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable table = warehouse.createTable("t");
        for (int i = 0; i < 120; i++) {
            SourceRow.Builder row = at();
            switch (i % 3) {
                case 0 -> row.externalId("gone-" + i);
                case 1 -> row.aliasName("alias-" + i).aliasLabel("crm");
                default -> row.brazeId("braze-" + i);
            }
            table.insert(row.build());
        }
        bad(table, at().email("someone@example.com").build(), "cannot name a user by EMAIL");
        bad(table, at().externalId("x").brazeId("y").build(), "several identifiers");
        bad(table, at().aliasName("half").build(), "ALIAS_LABEL is missing");
        bad(table, at().externalId(" ").build(), "EXTERNAL_ID is blank");

        SyncReport report = runner(warehouse, client, DataType.USER_DELETES).build().run();

        assertThat(report.rowsDelivered()).isEqualTo(120);
        assertErrors(report);
        assertThat(braze.deletedUsers()).hasSize(120);
        assertThat(braze.deletedUsers()).filteredOn(o -> o.has("user_alias")).hasSize(40);
        assertThat(braze.requests("/users/delete")).allSatisfy(r -> {
            JsonNode body = r.bodyJson();
            int total = body.path("external_ids").size() + body.path("user_aliases").size() + body.path("braze_ids").size();
            assertThat(total).isBetween(1, 50);
        });
        assertThat(braze.requestCount("/users/track")).isZero();
    }

    @Test
    void aDeleteTableWithAPayloadIsAConfigurationError(FakeWarehouse warehouse, BrazeClient client) {
        FakeTable table = warehouse.createTable("t");
        table.insert(at().externalId("a").payload("{}").build());
        SyncReport report = runner(warehouse, client, DataType.USER_DELETES).build().run();
        assertThat(report.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(report.failure()).isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("PAYLOAD");
    }

    @Test
    void catalogItemsAreUpsertedAndDeletedInOrderPerItem(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        braze.createCatalog("products");
        FakeTable table = warehouse.createTable("t");
        for (int i = 0; i < 130; i++) {
            table.insert(at().id("item-" + i).payload("{\"name\":\"Item " + i + "\",\"price\":" + i
                    + ",\"tags\":[\"a\",\"b\"],\"dims\":{\"w\":1}}").build());
        }
        for (int i = 0; i < 10; i++) {
            table.insert(at().id("item-" + i).deleted(true).build());
        }
        table.insert(at().id("item-3").payload("{\"name\":\"Item 3 again\"}").build()); // recreated after its delete
        bad(table, at().id("bad.id").payload("{}").build(), "ID 'bad.id' is invalid");
        bad(table, at().id("x".repeat(300)).payload("{}").build(), "300 characters given");
        bad(table, at().id("k1").payload("{\"a.b\":1}").build(), "not a valid catalog field name");
        bad(table, at().id("k2").payload("{\"$x\":1}").build(), "not a valid catalog field name");
        bad(table, at().id("k3").payload("{\"m\":[[1]]}").build(), "array of arrays");
        bad(table, at().payload("{}").build(), "ID is NULL");

        SyncReport report = runner(warehouse, client, DataType.CATALOG_ITEMS).catalog("products").build().run();

        assertThat(report.rowsDelivered()).isEqualTo(141);
        assertErrors(report);
        Map<String, ObjectNode> items = braze.catalogItems("products");
        assertThat(items).hasSize(121).doesNotContainKeys("item-0", "item-9").containsKeys("item-3", "item-10", "item-129");
        assertThat(items.get("item-3").path("name").asText()).isEqualTo("Item 3 again");
        assertThat(items.get("item-50").path("dims").path("w").asInt()).isEqualTo(1);
        assertThat(braze.requests()).filteredOn(r -> r.path().startsWith("/catalogs/"))
                .allSatisfy(r -> assertThat(r.bodyJson().path("items").size()).isBetween(1, 50));
    }

    @Test
    void aFullCatalogEndsTheSyncAsAGlobalErrorAndKeepsTheRowsForLater(FakeWarehouse warehouse, FakeBraze braze,
            BrazeClient client) {
        braze.createCatalog("products");
        braze.catalogItemLimit("products", 60);
        FakeTable table = warehouse.createTable("t");
        for (int i = 0; i < 100; i++) {
            table.insert(at().id("item-" + i).payload("{\"n\":" + i + "}").build());
        }
        SyncReport report = runner(warehouse, client, DataType.CATALOG_ITEMS).catalog("products").concurrency(1).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(report.failure()).isInstanceOf(CdiException.BrazeFailure.class).hasMessageContaining("out of space");
        assertThat(report.rowsFailed()).isZero();
        assertThat(report.watermarkAfter()).isEqualTo(T0.plusSeconds(49)); // the first request of 50 went in

        braze.catalogItemLimit("products", 1000);
        SyncReport rerun = runner(warehouse, client, DataType.CATALOG_ITEMS).catalog("products").build().run();
        assertThat(rerun.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(braze.catalogItems("products")).hasSize(100);
    }

    @Test
    void eachEndpointsRateLimitIsRespectedUnderLoad(FakeWarehouse warehouse, FakeBraze braze) {
        braze.deleteRateLimit(20, Duration.ofSeconds(1));
        FakeTable table = warehouse.createTable("t");
        for (int i = 0; i < 1500; i++) {
            table.insert(at().externalId("gone-" + i).build());
        }
        try (BrazeClient client = BrazeTestClients.builderFor(braze).deleteRateLimit(RateLimit.of(20, Duration.ofSeconds(1)))
                .build()) {
            long start = System.nanoTime();
            SyncReport report = runner(warehouse, client, DataType.USER_DELETES).concurrency(8).build().run();
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(report.rowsDelivered()).isEqualTo(1500);
            // 30 full requests plus at most one partial one per lane, plus the few the fake refused at a window edge
            // (its windows start at its first request; the client's pacing does not know where they start).
            assertThat(braze.requestCount("/users/delete") - braze.rateLimitedCount()).isBetween(30, 38);
            assertThat(braze.rateLimitedCount()).isLessThanOrEqualTo(3);
            assertThat(report.rateLimitedWaits()).isEqualTo(braze.rateLimitedCount());
            // Paced by the client: 30+ requests at 20/s cannot finish in under ~0.5 s.
            assertThat(seconds).isGreaterThan(0.45);
        }
    }

    @Test
    void theCatalogNameIsRequiredExactlyForCatalogSyncs(FakeWarehouse warehouse, BrazeClient client) {
        assertThatThrownBy(() -> runner(warehouse, client, DataType.CATALOG_ITEMS).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("catalog is required");
        assertThatThrownBy(() -> runner(warehouse, client, DataType.PURCHASES).catalog("x").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only CATALOG_ITEMS");
        assertThat(List.of(DataType.values())).hasSize(5);
    }
}
