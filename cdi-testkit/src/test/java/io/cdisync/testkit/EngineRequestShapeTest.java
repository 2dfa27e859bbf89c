package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine shapes requests as Braze requires (issue 13), end to end against FakeBraze: request bodies under the
 * client's maxRequestBytes, the client's objects per request, catalog item ids unique per request, one identifier
 * kind per delete, and alias users created. Checks what the fake stored, not only the report.
 */
@ExtendWith(CdiTestExtension.class)
@ExtendWith(NoSecretsInLogs.class)
class EngineRequestShapeTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    final InMemoryWatermarkStore store = new InMemoryWatermarkStore();
    int second;

    SyncRunner.Builder runner(FakeWarehouse warehouse, BrazeClient client, DataType type) {
        return SyncRunner.builder().syncId("sync").dataType(type).source(warehouse.connector("t")).braze(client)
                .watermarkStore(store).clock(NOW);
    }

    SourceRow.Builder at() {
        return SourceRow.builder().updatedAt(T0.plusSeconds(second++));
    }

    @Test
    void requestsCloseBeforeTheirBodyPassesMaxRequestBytesAndARowTooLargeAloneIsARowError(FakeWarehouse warehouse,
            FakeBraze braze) {
        FakeTable table = warehouse.createTable("t");
        for (int i = 0; i < 120; i++) {
            table.insert(at().externalId("user-" + i).payload("{\"bio\":\"" + "x".repeat(900 + i * 7) + "\"}").build());
        }
        String huge = table.insert(at().externalId("huge").payload("{\"bio\":\"" + "y".repeat(30_000) + "\"}").build()).rowKey();
        int limit = 20_000;
        try (BrazeClient client = BrazeTestClients.builderFor(braze).maxRequestBytes(limit).build()) {
            SyncReport report = runner(warehouse, client, DataType.USER_ATTRIBUTES).concurrency(4).build().run();

            assertThat(report.status()).isEqualTo(SyncStatus.PARTIAL_SUCCESS);
            assertThat(report.rowsDelivered()).isEqualTo(120);
            assertThat(report.rowErrors()).singleElement().satisfies(error -> {
                assertThat(error.rowKey()).isEqualTo(huge);
                assertThat(error.reason()).contains(" bytes on its own").contains("at most " + limit + " bytes");
            });
        }
        assertThat(braze.attributes()).hasSize(120).noneMatch(a -> a.path("external_id").asText().equals("huge"));
        assertThat(braze.requests("/users/track")).allSatisfy(request -> {
            assertThat(request.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit);
            assertThat(request.status()).isBetween(200, 299);
        });
        // Bodies of about 1 to 2 KB per row: full requests are cut by bytes, not by the 75-object limit.
        assertThat(braze.requestCount("/users/track")).isBetween(8, 20);
    }

    @Test
    void objectsPerTrackRequestComeFromTheClient(FakeWarehouse warehouse, FakeBraze braze) {
        FakeTable table = warehouse.createTable("t");
        for (int i = 0; i < 230; i++) {
            table.insert(at().externalId("user-" + i).payload("{\"n\":" + i + "}").build());
        }
        try (BrazeClient client = BrazeTestClients.builderFor(braze).trackObjectsPerRequest(50).build()) {
            SyncReport report = runner(warehouse, client, DataType.USER_ATTRIBUTES).concurrency(1).build().run();
            assertThat(report.rowsDelivered()).isEqualTo(230);
        }
        assertThat(braze.attributes()).hasSize(230);
        assertThat(braze.requests("/users/track")).allSatisfy(r -> assertThat(r.bodyJson().path("attributes").size())
                .isBetween(1, 50));
        assertThat(braze.requestCount("/users/track")).isEqualTo(5); // 4 full requests of 50, then 30
    }

    @Test
    void aCatalogRequestHoldsEachItemIdOnceAndTheLastVersionWins(FakeWarehouse warehouse, FakeBraze braze,
            BrazeClient client) {
        braze.createCatalog("products");
        FakeTable table = warehouse.createTable("t");
        for (int version = 1; version <= 4; version++) {
            for (int i = 0; i < 30; i++) {
                table.insert(at().id("item-" + i).payload("{\"version\":" + version + "}").build());
            }
        }
        for (int version = 1; version <= 6; version++) {
            table.insert(at().id("hot").payload("{\"version\":" + version + "}").build()); // consecutive versions
        }
        SyncReport report = runner(warehouse, client, DataType.CATALOG_ITEMS).catalog("products").concurrency(2).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(report.rowsDelivered()).isEqualTo(126);
        Map<String, ObjectNode> items = braze.catalogItems("products");
        assertThat(items).hasSize(31);
        assertThat(items.values()).allSatisfy(item -> assertThat(item.path("version").asInt())
                .as(item.path("id").asText()).isEqualTo(item.path("id").asText().equals("hot") ? 6 : 4));
        assertThat(braze.requests()).filteredOn(r -> r.path().startsWith("/catalogs/")).allSatisfy(r -> {
            Set<String> ids = new HashSet<>();
            for (JsonNode item : r.bodyJson().path("items")) {
                assertThat(ids.add(item.path("id").asText())).as("%s twice in one request", item.path("id")).isTrue();
            }
            assertThat(r.status()).isEqualTo(202);
        });
    }

    @Test
    void eachDeleteRequestNamesUsersByOneIdentifierKind(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable table = warehouse.createTable("t");
        for (int i = 0; i < 150; i++) {
            SourceRow.Builder row = at();
            switch (i % 3) {
                case 0 -> row.externalId("gone-" + i);
                case 1 -> row.aliasName("alias-" + i).aliasLabel("crm");
                default -> row.brazeId("braze-" + i);
            }
            table.insert(row.build());
        }
        SyncReport report = runner(warehouse, client, DataType.USER_DELETES).concurrency(4).build().run();

        assertThat(report.rowsDelivered()).isEqualTo(150);
        assertThat(braze.deletedUsers()).hasSize(150);
        assertThat(braze.requests("/users/delete")).allSatisfy(r -> {
            JsonNode body = r.bodyJson();
            List<String> kinds = List.of("external_ids", "user_aliases", "braze_ids");
            assertThat(kinds.stream().filter(body::has)).as(r.body()).hasSize(1);
            assertThat(kinds.stream().mapToInt(k -> body.path(k).size()).sum()).isBetween(1, 50);
        });
    }

    @Test
    void aliasObjectsCreateTheirUsersUnlessTheSyncIsUpdateExistingOnly(FakeWarehouse warehouse, FakeBraze braze,
            BrazeClient client) {
        FakeTable table = warehouse.createTable("t");
        table.insert(at().aliasName("anon-1").aliasLabel("device").payload("{\"plan\":\"free\"}").build());
        table.insert(at().aliasName("anon-2").aliasLabel("device").payload(
                Map.of("plan", "pro")).build()); // a STRUCT payload: the tree path, not the streaming encoder
        table.insert(at().externalId("known").payload("{\"plan\":\"team\"}").build());

        SyncReport report = runner(warehouse, client, DataType.USER_ATTRIBUTES).build().run();

        assertThat(report.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(braze.attributes()).hasSize(3);
        assertThat(braze.attributes()).filteredOn(a -> a.has("user_alias")).hasSize(2)
                .allSatisfy(a -> assertThat(a.get("_update_existing_only").asBoolean(true)).isFalse());
        assertThat(braze.attributes()).filteredOn(a -> a.has("external_id")).singleElement()
                .satisfies(a -> assertThat(a.has("_update_existing_only")).isFalse());
    }

    @Test
    void aliasEventsAndPurchasesCarryTheFlagToo(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable table = warehouse.createTable("t");
        table.insert(at().aliasName("anon-1").aliasLabel("device").payload("{\"name\":\"opened\"}").build());
        SyncReport events = runner(warehouse, client, DataType.CUSTOM_EVENTS).build().run();
        assertThat(events.rowsDelivered()).isEqualTo(1);
        assertThat(braze.events()).singleElement().satisfies(e -> assertThat(e.path("_update_existing_only").isBoolean()
                && !e.path("_update_existing_only").asBoolean()).isTrue());
    }

    @Test
    void anUpdateExistingOnlySyncSendsTrueForAliasesToo(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable table = warehouse.createTable("t");
        table.insert(at().aliasName("anon-1").aliasLabel("device").payload("{\"plan\":\"free\"}").build());
        table.insert(at().externalId("known").payload("{\"plan\":\"team\"}").build());
        SyncReport report = runner(warehouse, client, DataType.USER_ATTRIBUTES).updateExistingOnly(true).build().run();

        assertThat(report.rowErrors()).extracting(RowError::reason).isEmpty();
        assertThat(braze.requests("/users/track")).allSatisfy(r -> assertThat(r.bodyJson().path("attributes"))
                .allSatisfy(a -> assertThat(a.path("_update_existing_only").asBoolean(false)).isTrue()));
    }
}
