package io.cdisync.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code /users/delete} and catalog item endpoints of {@link FakeBraze}. */
class FakeBrazeDeleteAndCatalogTest extends FakeBrazeTestSupport {
    private static final String PRODUCTS = "/catalogs/products/items";

    // ---- /users/delete ------------------------------------------------------------------------

    @Test
    void deletesUsersOfOneKindWith201AndEnforces50Identifiers() throws Exception {
        HttpResponse<String> ok = post("/users/delete", "{\"external_ids\": [\"e1\", \"e2\", 3]}");
        assertEquals(201, ok.statusCode());
        assertEquals(JSON.readTree("{\"deleted\": 3, \"message\": \"success\"}"), json(ok));
        assertEquals(201, post("/users/delete",
                "{\"user_aliases\": [{\"alias_name\": \"n\", \"alias_label\": \"l\"}]}").statusCode());
        assertEquals(201, post("/users/delete", "{\"braze_ids\": [\"b1\"]}").statusCode());
        assertEquals(List.of(JSON.readTree("{\"external_id\": \"e1\"}"), JSON.readTree("{\"external_id\": \"e2\"}"),
                JSON.readTree("{\"external_id\": \"3\"}"),
                JSON.readTree("{\"user_alias\": {\"alias_name\": \"n\", \"alias_label\": \"l\"}}"),
                JSON.readTree("{\"braze_id\": \"b1\"}")), braze.deletedUsers());

        ObjectNode fifty = JSON.createObjectNode();
        ObjectNode fiftyOne = JSON.createObjectNode();
        for (int i = 0; i < 51; i++) {
            if (i < 50) {
                fifty.withArray("braze_ids").add("b" + i);
            }
            fiftyOne.withArray("braze_ids").add("b" + i);
        }
        assertEquals(400, post("/users/delete", fiftyOne.toString()).statusCode());
        assertEquals(400, post("/users/delete", "{}").statusCode());
        assertEquals(400, post("/users/delete", "{\"external_ids\": []}").statusCode());
        assertEquals(400, post("/users/delete", "{\"external_ids\": [\"ok\", \"\"]}").statusCode());
        assertEquals(400, post("/users/delete", "{\"user_aliases\": [{\"alias_name\": \"n\"}]}").statusCode());
        assertEquals(5, braze.deletedUsers().size());
        assertEquals(201, post("/users/delete", fifty.toString()).statusCode());
        assertEquals(55, braze.deletedUsers().size());
    }

    @Test
    void aDeleteMixingIdentifierKindsIsRefusedAndDeletesNothing() throws Exception {
        for (String body : List.of("{\"external_ids\": [\"e1\"], \"braze_ids\": [\"b1\"]}",
                "{\"external_ids\": [\"e1\"], \"user_aliases\": [{\"alias_name\": \"n\", \"alias_label\": \"l\"}]}",
                "{\"braze_ids\": [\"b1\"], \"phone_numbers\": [\"+1555\"]}")) {
            HttpResponse<String> mixed = post("/users/delete", body);
            assertEquals(400, mixed.statusCode(), body);
            assertEquals(FakeBrazeUserDeleteHandler.ONE_KIND, json(mixed).get("message").asText());
        }
        assertTrue(braze.deletedUsers().isEmpty());
        assertEquals(201, post("/users/delete",
                "{\"email_addresses\": [{\"email\": \"a@b.example\", \"prioritization\": [\"unidentified\"]}]}")
                .statusCode());
        assertEquals(List.of(JSON.readTree("{\"email\": \"a@b.example\"}")), braze.deletedUsers());
    }

    // ---- catalogs -----------------------------------------------------------------------------

    @Test
    void catalogItemsAreUpsertedMergedAndDeleted() throws Exception {
        braze.createCatalog("products");
        HttpResponse<String> created = send("POST", PRODUCTS, "{\"items\": [{\"id\": \"p1\", \"name\": \"A\", "
                + "\"price\": 1}, {\"id\": \"p2\", \"name\": \"B\", \"tags\": [\"x\"]}]}");
        assertEquals(202, created.statusCode());
        assertEquals(JSON.readTree("{\"message\": \"success\"}"), json(created));
        assertEquals(202, send("PATCH", PRODUCTS, "{\"items\": [{\"id\": \"p1\", \"price\": 2}]}").statusCode());
        assertEquals(202, send("PUT", PRODUCTS, "{\"items\": [{\"id\": \"p2\", \"name\": \"B2\"}]}").statusCode());
        Map<String, ObjectNode> items = braze.catalogItems("products");
        assertEquals(JSON.readTree("{\"id\": \"p1\", \"name\": \"A\", \"price\": 2}"), items.get("p1"));
        assertEquals(JSON.readTree("{\"id\": \"p2\", \"name\": \"B2\"}"), items.get("p2"));

        HttpResponse<String> missing = send("PATCH", PRODUCTS, "{\"items\": [{\"id\": \"p9\", \"price\": 2}, "
                + "{\"id\": \"p1\", \"price\": 3}]}");
        assertEquals(400, missing.statusCode());
        assertError(json(missing), "item-not-found", List.of("p9"));
        assertEquals(2, braze.catalogItems("products").get("p1").get("price").asInt()); // p1 not written either

        assertEquals(202, send("DELETE", PRODUCTS, "{\"items\": [{\"id\": \"p1\"}]}").statusCode());
        assertEquals(Set.of("p2"), braze.catalogItems("products").keySet());
        assertEquals(405, send("GET", PRODUCTS, null).statusCode());
        assertThrows(IllegalArgumentException.class, () -> braze.catalogItems("unknown"));
    }

    @Test
    void anUnknownCatalogIsCatalogNotFoundNamingIt() throws Exception {
        HttpResponse<String> unknown = send("PUT", "/catalogs/restaurants/items", "{\"items\": [{\"id\": \"p1\"}]}");
        assertEquals(404, unknown.statusCode());
        assertEquals(JSON.readTree("{\"errors\": [{\"id\": \"catalog-not-found\", \"message\": \"Could not find "
                + "catalog\", \"parameters\": [\"catalog_name\"], \"parameter_values\": [\"restaurants\"]}], "
                + "\"message\": \"Invalid Request\"}"), json(unknown));
    }

    @Test
    void oneInvalidItemRefusesTheWholeRequestAndWritesNothing() throws Exception {
        try (FakeBraze fake = FakeBraze.builder().catalog("products").start()) {
            HttpResponse<String> refused = send(fake, "POST", PRODUCTS, "{\"items\": [{\"id\": \"ok-1\", \"a\": 1}, "
                    + "{\"id\": \"bad id!\"}, {\"id\": \"ok2\", \"a.b\": 1}, {\"id\": \"ok3\", \"$x\": 1}, "
                    + "{\"id\": 7}, {\"a\": 1}, {\"id\": \"ok4\", \"o\": {\"k.x\": 1}}]}", "application/json");
            assertEquals(400, refused.statusCode());
            JsonNode answer = json(refused);
            assertEquals("Invalid Request", answer.get("message").asText());
            assertEquals(5, answer.get("errors").size());
            assertError(answer, "invalid-ids", List.of("bad id!"));
            assertError(answer, "invalid-fields", List.of("ok2", "ok3"));
            assertError(answer, "ids-not-strings", List.of(7));
            assertError(answer, "items-missing-ids", List.of());
            assertError(answer, "invalid-keys-in-value-object", List.of("ok4"));
            assertTrue(fake.catalogItems("products").isEmpty(), "nothing of a refused request is written");

            HttpResponse<String> empty = send(fake, "POST", PRODUCTS, "{\"items\": []}", "application/json");
            assertError(json(empty), "item-array-invalid", List.of());
            ObjectNode tooMany = JSON.createObjectNode();
            for (int i = 0; i < 51; i++) {
                tooMany.withArray("items").addObject().put("id", "i" + i);
            }
            HttpResponse<String> over = send(fake, "POST", PRODUCTS, tooMany.toString(), "application/json");
            assertEquals(400, over.statusCode());
            assertError(json(over), "request-includes-too-many-items", List.of());
            assertTrue(fake.catalogItems("products").isEmpty());
        }
    }

    @Test
    void duplicateIdsInOneRequestAreIdsNotUnique() throws Exception {
        braze.createCatalog("products");
        HttpResponse<String> twice = send("PUT", PRODUCTS, "{\"items\": [{\"id\": \"p1\", \"v\": 1}, "
                + "{\"id\": \"p2\"}, {\"id\": \"p1\", \"v\": 2}]}");
        assertEquals(400, twice.statusCode());
        assertError(json(twice), "ids-not-unique", List.of("p1"));
        assertTrue(braze.catalogItems("products").isEmpty());
        HttpResponse<String> deleteTwice = send("DELETE", PRODUCTS, "{\"items\": [{\"id\": \"p1\"}, {\"id\": \"p1\"}]}");
        assertError(json(deleteTwice), "ids-not-unique", List.of("p1"));
    }

    @Test
    void aDeclaredCatalogRefusesUnknownFieldsAsRecorded() throws Exception {
        try (FakeBraze fake = FakeBraze.builder().catalog("cars", List.of("id", "name")).start()) {
            HttpResponse<String> refused = send(fake, "PUT", "/catalogs/cars/items", "{\"items\": [{\"id\": "
                    + "\"car001\", \"name\": \"Model S\"}, {\"id\": \"car002\", \"name\": \"Mustang 2005\", "
                    + "\"in_stock\": false}]}", "application/json");
            // segment_catalog_items_400_whole_batch.json, exactly
            assertEquals(400, refused.statusCode());
            assertEquals(JSON.readTree("{\"message\": \"Invalid Request\", \"errors\": [{\"id\": \"invalid-fields\", "
                    + "\"message\": \"Some of the fields given do not exist in the catalog\", \"parameters\": [\"id\"], "
                    + "\"parameter_values\": [\"car002\"]}]}"), json(refused));
            assertTrue(fake.catalogItems("cars").isEmpty());
            assertEquals(202, send(fake, "PUT", "/catalogs/cars/items", "{\"items\": [{\"id\": \"car001\", "
                    + "\"name\": \"Model S\"}]}", "application/json").statusCode());
            assertEquals(Set.of("car001"), fake.catalogItems("cars").keySet());
            // DELETE names ids only; PATCH checks fields too
            assertEquals(400, send(fake, "PATCH", "/catalogs/cars/items", "{\"items\": [{\"id\": \"car001\", "
                    + "\"colour\": \"red\"}]}", "application/json").statusCode());
            fake.createCatalog("cars", List.of("name")); // same fields: nothing to do
            assertThrows(IllegalArgumentException.class, () -> fake.createCatalog("cars", List.of("other")));
        }
    }

    @Test
    void itemLimitsOfBrazeAreEnforced() throws Exception {
        braze.createCatalog("products");
        String longValue = "x".repeat(FakeBrazeCatalogs.MAX_VALUE_LENGTH + 1);
        String longId = "i".repeat(FakeBrazeCatalogs.MAX_ID_LENGTH + 1);
        HttpResponse<String> refused = send("POST", PRODUCTS, "{\"items\": [{\"id\": \"a\", \"v\": \"" + longValue
                + "\"}, {\"id\": \"" + longId + "\"}]}");
        assertError(json(refused), "items-too-large", List.of("a"));
        assertError(json(refused), "ids-too-large", List.of(longId));
        String deep = "{\"k\": ".repeat(51) + "1" + "}".repeat(51);
        assertError(json(send("POST", PRODUCTS, "{\"items\": [{\"id\": \"d\", \"v\": " + deep + "}]}")),
                "too-deep-nesting-in-value-object", List.of("d"));
        assertTrue(braze.catalogItems("products").isEmpty());
    }

    @Test
    void catalogItemLimitRefusesWritesBeyondIt() throws Exception {
        String path = "/catalogs/small/items";
        braze.createCatalog("small");
        braze.catalogItemLimit("small", 2);
        assertEquals(202, send("POST", path, "{\"items\": [{\"id\": \"a\"}, {\"id\": \"b\"}]}").statusCode());
        HttpResponse<String> over = send("POST", path, "{\"items\": [{\"id\": \"a\", \"v\": 2}, {\"id\": \"c\"}]}");
        assertEquals(400, over.statusCode());
        JsonNode answer = json(over);
        assertEquals("Invalid Request", answer.get("message").asText());
        assertEquals(1, answer.get("errors").size());
        assertError(answer, "catalog-item-limit-exceeded", List.of("c"));
        assertFalse(braze.catalogItems("small").get("a").has("v")); // nothing processed
        // replacing existing items is fine
        assertEquals(202, send("PUT", path, "{\"items\": [{\"id\": \"a\", \"v\": 3}]}").statusCode());
        assertEquals(3, braze.catalogItems("small").get("a").get("v").asInt());
    }

    /** Asserts that {@code answer} has the Braze error entry {@code code} naming exactly {@code items}. */
    static void assertError(JsonNode answer, String code, List<?> items) {
        for (JsonNode error : answer.get("errors")) {
            if (error.get("id").asText().equals(code)) {
                assertTrue(error.get("message").isTextual() && !error.get("message").asText().isBlank());
                assertEquals(items.isEmpty() ? JSON.createArrayNode() : JSON.valueToTree(List.of("id")),
                        error.get("parameters"));
                assertEquals(JSON.valueToTree(items), error.get("parameter_values"), code);
                return;
            }
        }
        throw new AssertionError("no error " + code + " in " + answer);
    }
}
