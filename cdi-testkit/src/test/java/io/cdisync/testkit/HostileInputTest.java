package io.cdisync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.braze.BrazeClient;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.store.InMemoryWatermarkStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A corpus of hostile rows, each with the row error it must produce; every good row interleaved with
 * them (same batches) must still reach Braze.
 */
@ExtendWith(CdiTestExtension.class)
@ExtendWith(NoSecretsInLogs.class)
class HostileInputTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    record Case(String name, UnaryOperator<SourceRow.Builder> row, String reason) {
    }

    static Case bad(String name, String reason, UnaryOperator<SourceRow.Builder> row) {
        return new Case(name, row, reason);
    }

    static UnaryOperator<SourceRow.Builder> user(String payload) {
        return b -> b.externalId("u").payload(payload);
    }

    static String nested(int depth) {
        return "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    static String attributes(int n) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":").append(i);
        }
        return json.append('}').toString();
    }

    static final List<Case> ATTRIBUTES = List.of(
            bad("malformed JSON", "not valid JSON", user("{\"a\":")),
            bad("array", "JSON array, not an object", user("[1,2]")),
            bad("string", "JSON string, not an object", user("\"text\"")),
            bad("number", "JSON number, not an object", user("42")),
            bad("json null", "JSON null, not an object", user("null")),
            bad("empty", "PAYLOAD is empty", user("")),
            bad("whitespace", "PAYLOAD is empty", user("   \n ")),
            bad("10,000 levels deep", "nesting depth", user(nested(10_000))),
            bad("1001 levels deep", "nesting depth", user(nested(1_001))),
            bad("1 MiB + 1 byte", "1048577 bytes; Braze accepts at most 1048576", user("{\"b\":\"" + "x".repeat(1_048_577 - 8) + "\"}")),
            bad("251 attributes", "251 attributes", user(attributes(251))),
            bad("lone surrogate", "unpaired UTF-16 surrogate", user("{\"a\":\"x\uD800y\"}")),
            bad("raw NUL", "not valid JSON", user("{\"a\":\"x\u0000y\"}")),
            bad("NaN", "not valid JSON", user("{\"a\":NaN}")),
            bad("Infinity", "not valid JSON", user("{\"a\":Infinity}")),
            bad("duplicate keys", "Duplicate field 'a'", user("{\"a\":1,\"a\":2}")),
            bad("trailing garbage", "not valid JSON", user("{} x")),
            bad("two objects", "not valid JSON", user("{}{}")),
            bad("byte order mark", "not valid JSON", user("\uFEFF{\"a\":1}")),
            bad("comment", "not valid JSON", user("{/* c */\"a\":1}")),
            bad("single quotes", "not valid JSON", user("{'a':1}")),
            bad("unquoted key", "not valid JSON", user("{a:1}")),
            bad("external_id in payload", "identifier key 'external_id'", user("{\"external_id\":\"other\"}")),
            bad("user_alias in payload", "identifier key 'user_alias'", user("{\"user_alias\":{\"alias_name\":\"n\"}}")),
            bad("braze_id in payload", "identifier key 'braze_id'", user("{\"braze_id\":\"b\"}")),
            bad("empty external id", "EXTERNAL_ID is blank", b -> b.externalId("").payload("{}")),
            bad("whitespace external id", "EXTERNAL_ID is blank", b -> b.externalId(" \t ").payload("{}")),
            bad("blank email", "EMAIL is blank", b -> b.email(" ").payload("{}")),
            bad("alias name only", "ALIAS_LABEL is missing", b -> b.aliasName("n").payload("{}")),
            bad("alias label only", "ALIAS_NAME is missing", b -> b.aliasLabel("l").payload("{}")),
            bad("email, phone and external id", "several identifiers (EXTERNAL_ID, EMAIL)",
                    b -> b.externalId("e").email("a@b.c").phone("+1555").payload("{}")),
            bad("external id and braze id", "several identifiers (EXTERNAL_ID, BRAZE_ID)",
                    b -> b.externalId("e").brazeId("b").payload("{}")),
            bad("alias and phone", "several identifiers (ALIAS_NAME + ALIAS_LABEL, PHONE)",
                    b -> b.aliasName("n").aliasLabel("l").phone("+1").payload("{}")),
            bad("no identifier", "no identifier", b -> b.payload("{}")),
            bad("NULL payload", "PAYLOAD is NULL", b -> b.externalId("e")),
            bad("payload of another type", "PAYLOAD of type Integer is not supported", b -> b.externalId("e").payload(5)));

    static final List<Case> EVENTS = List.of(
            bad("event without name", "field 'name' is missing", user("{\"properties\":{}}")),
            bad("event with empty name", "non-empty string", user("{\"name\":\"\"}")),
            bad("event name a number", "non-empty string", user("{\"name\":7}")),
            bad("time not ISO", "not an ISO-8601 time", user("{\"name\":\"e\",\"time\":\"31/01/2026\"}")),
            bad("time a number", "field 'time' is a number", user("{\"name\":\"e\",\"time\":1735689600}")),
            bad("zone-less time", "not an ISO-8601 time with an offset", user("{\"name\":\"e\",\"time\":\"2026-01-01T00:00:00\"}")),
            bad("properties an array", "'properties' is an array", user("{\"name\":\"e\",\"properties\":[]}")),
            bad("property key with $", "starts with '$'", user("{\"name\":\"e\",\"properties\":{\"$x\":1}}")),
            bad("property key too long", "256 characters", user("{\"name\":\"e\",\"properties\":{\"" + "k".repeat(256) + "\":1}}")),
            bad("unknown event field", "field 'level' is not part of an event", user("{\"name\":\"e\",\"level\":1}")));

    static final List<Case> PURCHASES = List.of(
            bad("string price", "'price' is a string", user("{\"product_id\":\"p\",\"currency\":\"USD\",\"price\":\"1.00\"}")),
            bad("missing price", "'price' is missing", user("{\"product_id\":\"p\",\"currency\":\"USD\"}")),
            bad("quantity 101", "from 1 to 100", user("{\"product_id\":\"p\",\"currency\":\"USD\",\"price\":1,\"quantity\":101}")),
            bad("quantity 0", "from 1 to 100", user("{\"product_id\":\"p\",\"currency\":\"USD\",\"price\":1,\"quantity\":0}")),
            bad("fractional quantity", "from 1 to 100", user("{\"product_id\":\"p\",\"currency\":\"USD\",\"price\":1,\"quantity\":1.5}")),
            bad("currency EURO", "ISO 4217", user("{\"product_id\":\"p\",\"currency\":\"EURO\",\"price\":1}")),
            bad("currency lower case", "ISO 4217", user("{\"product_id\":\"p\",\"currency\":\"usd\",\"price\":1}")),
            bad("currency XYZ", "ISO 4217", user("{\"product_id\":\"p\",\"currency\":\"XYZ\",\"price\":1}")),
            bad("missing product id", "'product_id' is missing", user("{\"currency\":\"USD\",\"price\":1}")),
            bad("product id too long", "at most 255 characters",
                    user("{\"product_id\":\"" + "p".repeat(256) + "\",\"currency\":\"USD\",\"price\":1}")));

    static final List<Case> CATALOG = List.of(
            bad("id with a dot", "ID 'a.b' is invalid", b -> b.id("a.b").payload("{}")),
            bad("id of 300 characters", "300 characters given", b -> b.id("i".repeat(300)).payload("{}")),
            bad("empty id", "ID '' is invalid", b -> b.id("").payload("{}")),
            bad("id with a space", "is invalid", b -> b.id("a b").payload("{}")),
            bad("NULL id", "ID is NULL", b -> b.payload("{}")),
            bad("field with $", "not a valid catalog field name", b -> b.id("k").payload("{\"$p\":1}")),
            bad("field with a dot", "not a valid catalog field name", b -> b.id("k").payload("{\"a.b\":1}")),
            bad("id inside payload", "PAYLOAD carries 'id'", b -> b.id("k").payload("{\"id\":\"other\"}")),
            bad("array of arrays", "array of arrays", b -> b.id("k").payload("{\"m\":[[1]]}")),
            bad("catalog payload not an object", "JSON array, not an object", b -> b.id("k").payload("[]")));

    static final List<Case> DELETES = List.of(
            bad("delete by email", "cannot name a user by EMAIL", b -> b.email("a@b.c")),
            bad("delete by phone", "cannot name a user by PHONE", b -> b.phone("+1555")),
            bad("delete without identifier", "no identifier", b -> b),
            bad("delete with two identifiers", "several identifiers", b -> b.externalId("a").brazeId("b")));

    @Test
    void theCorpusHasAtLeastFortyKinds() {
        assertThat(ATTRIBUTES.size() + EVENTS.size() + PURCHASES.size() + CATALOG.size() + DELETES.size()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void attributes(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        int good = run(warehouse, client, DataType.USER_ATTRIBUTES, null, ATTRIBUTES,
                i -> SourceRow.builder().externalId("good-" + i).payload("{\"i\":" + i + ",\"big\":1e400,\"n\":{\"d\":[{\"x\":1}]}}"));
        assertThat(braze.attributes()).hasSize(good);
        // A huge number is not an error: it passes through exactly, not as a double's Infinity.
        assertThat(braze.requests("/users/track")).allSatisfy(r -> assertThat(r.body()).contains("\"big\":1E+400"));
    }

    @Test
    void events(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        int good = run(warehouse, client, DataType.CUSTOM_EVENTS, null, EVENTS,
                i -> SourceRow.builder().externalId("good-" + i).payload("{\"name\":\"e\",\"properties\":{\"i\":" + i + "}}"));
        assertThat(braze.events()).hasSize(good);
    }

    @Test
    void purchases(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        int good = run(warehouse, client, DataType.PURCHASES, null, PURCHASES, i -> SourceRow.builder().externalId("good-" + i)
                .payload("{\"product_id\":\"p" + i + "\",\"currency\":\"JPY\",\"price\":100}"));
        assertThat(braze.purchases()).hasSize(good);
    }

    @Test
    void catalogItems(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        braze.createCatalog("c");
        int good = run(warehouse, client, DataType.CATALOG_ITEMS, "c", CATALOG,
                i -> SourceRow.builder().id("good-" + i).payload("{\"i\":" + i + "}"));
        assertThat(braze.catalogItems("c")).hasSize(good);
    }

    @Test
    void userDeletes(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        int good = run(warehouse, client, DataType.USER_DELETES, null, DELETES, i -> SourceRow.builder().externalId("good-" + i));
        assertThat(braze.deletedUsers()).hasSize(good);
    }

    @Test
    void rowsWithoutOrFarInTheFutureUpdatedAtNeverMoveTheWatermark(FakeWarehouse warehouse, FakeBraze braze, BrazeClient client) {
        FakeTable table = warehouse.createTable("t");
        SourceRow noTime = table.insert(SourceRow.builder().externalId("no-time").payload("{}").build());
        table.insert(SourceRow.builder().updatedAt(Instant.parse("9999-12-31T23:59:59Z")).externalId("year-9999").payload("{}").build());
        table.insert(SourceRow.builder().updatedAt(T0).externalId("ok").payload("{}").build());
        SyncReport report = SyncRunner.builder().syncId("s").source(warehouse.connector("t")).braze(client)
                .watermarkStore(new InMemoryWatermarkStore()).clock(NOW).build().run();
        assertThat(report.rowErrors()).singleElement().satisfies(e -> {
            assertThat(e.rowKey()).isEqualTo(noTime.rowKey());
            assertThat(e.kind()).isEqualTo(RowError.Kind.INVALID_UPDATED_AT);
        });
        assertThat(report.rowsHeldBack()).isEqualTo(1);
        assertThat(report.watermarkAfter()).isEqualTo(T0);
        assertThat(braze.attributes()).extracting(o -> o.path("external_id").asText()).containsExactly("ok");
    }

    /** Interleaves good rows with the bad ones, syncs, checks every error; returns how many good rows there were. */
    private int run(FakeWarehouse warehouse, BrazeClient client, DataType type, String catalog, List<Case> cases,
            java.util.function.IntFunction<SourceRow.Builder> goodRow) {
        FakeTable table = warehouse.createTable("t");
        Map<String, Case> expected = new LinkedHashMap<>();
        int second = 0;
        int good = 0;
        for (Case c : cases) {
            for (int k = 0; k < 3; k++) {
                table.insert(goodRow.apply(good++).updatedAt(T0.plusSeconds(second++)).build());
            }
            SourceRow row = table.insert(c.row().apply(SourceRow.builder()).updatedAt(T0.plusSeconds(second++)).build());
            expected.put(row.rowKey(), c);
        }
        SyncRunner.Builder runner = SyncRunner.builder().syncId("hostile").dataType(type).source(warehouse.connector("t"))
                .braze(client).watermarkStore(new InMemoryWatermarkStore()).clock(NOW).concurrency(4);
        if (catalog != null) {
            runner.catalog(catalog);
        }
        SyncReport report = runner.build().run();

        assertThat(report.failure()).isNull();
        Map<String, RowError> errors = report.rowErrors().stream().collect(Collectors.toMap(RowError::rowKey, e -> e));
        List<String> wrong = new ArrayList<>();
        expected.forEach((key, c) -> {
            RowError error = errors.get(key);
            if (error == null || !error.reason().contains(c.reason())) {
                wrong.add(c.name() + ": expected '" + c.reason() + "', got " + (error == null ? "no error" : "'" + error.reason() + "'"));
            }
        });
        assertThat(wrong).as("cases whose row error is missing or wrong").isEmpty();
        assertThat(errors).hasSize(expected.size());
        assertThat(report.rowsDelivered()).isEqualTo(good);
        return good;
    }

}
