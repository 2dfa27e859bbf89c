package io.cdisync.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code /users/delete} and catalog item endpoints of {@link FakeBraze}. */
class FakeBrazeDeleteAndCatalogTest extends FakeBrazeTestSupport {

    // ---- /users/delete ------------------------------------------------------------------------

    @Test
    void deletesUsersAndEnforces50Identifiers() throws Exception {
        HttpResponse<String> ok = post("/users/delete", "{\"external_ids\": [\"e1\", \"e2\"], "
                + "\"user_aliases\": [{\"alias_name\": \"n\", \"alias_label\": \"l\"}], \"braze_ids\": [\"b1\"]}");
        assertEquals(202, ok.statusCode());
        assertEquals("success", json(ok).get("message").asText());
        assertEquals(4, json(ok).get("deleted").asInt());
        assertEquals(List.of(JSON.readTree("{\"external_id\": \"e1\"}"), JSON.readTree("{\"external_id\": \"e2\"}"),
                JSON.readTree("{\"user_alias\": {\"alias_name\": \"n\", \"alias_label\": \"l\"}}"),
                JSON.readTree("{\"braze_id\": \"b1\"}")), braze.deletedUsers());

        ObjectNode tooMany = JSON.createObjectNode();
        for (int i = 0; i < 30; i++) {
            tooMany.withArray("external_ids").add("e" + i);
            tooMany.withArray("braze_ids").add("b" + i);
        }
        assertEquals(400, post("/users/delete", tooMany.toString()).statusCode());
        assertEquals(400, post("/users/delete", "{}").statusCode());
        assertEquals(400, post("/users/delete", "{\"external_ids\": [\"ok\", \"\"]}").statusCode());
        assertEquals(400, post("/users/delete", "{\"user_aliases\": [{\"alias_name\": \"n\"}]}").statusCode());
        assertEquals(4, braze.deletedUsers().size());
    }

    // ---- catalogs -----------------------------------------------------------------------------

    @Test
    void catalogItemsAreUpsertedMergedAndDeleted() throws Exception {
        String path = "/catalogs/products/items";
        HttpResponse<String> unknown = send("POST", path, "{\"items\": [{\"id\": \"p1\"}]}");
        assertEquals(404, unknown.statusCode());
        assertEquals("Catalog not found", json(unknown).get("message").asText());
        braze.createCatalog("products");

        assertEquals(202, send("POST", path, "{\"items\": [{\"id\": \"p1\", \"name\": \"A\", \"price\": 1}, "
                + "{\"id\": \"p2\", \"name\": \"B\", \"tags\": [\"x\"]}]}").statusCode());
        assertEquals(202, send("PATCH", path, "{\"items\": [{\"id\": \"p1\", \"price\": 2}]}").statusCode());
        assertEquals(202, send("PUT", path, "{\"items\": [{\"id\": \"p2\", \"name\": \"B2\"}]}").statusCode());
        Map<String, ObjectNode> items = braze.catalogItems("products");
        assertEquals(JSON.readTree("{\"id\": \"p1\", \"name\": \"A\", \"price\": 2}"), items.get("p1"));
        assertEquals(JSON.readTree("{\"id\": \"p2\", \"name\": \"B2\"}"), items.get("p2"));

        HttpResponse<String> missing = send("PATCH", path, "{\"items\": [{\"id\": \"p9\", \"price\": 2}]}");
        assertEquals(400, missing.statusCode());
        assertEquals("p9", json(missing).get("errors").get(0).get("id").asText());

        assertEquals(202, send("DELETE", path, "{\"items\": [{\"id\": \"p1\"}]}").statusCode());
        assertEquals(Set.of("p2"), braze.catalogItems("products").keySet());
        assertEquals(405, send("GET", path, null).statusCode());
        assertThrows(IllegalArgumentException.class, () -> braze.catalogItems("unknown"));
    }

    @Test
    void invalidCatalogItemsAreListedAndValidOnesProcessed() throws Exception {
        try (FakeBraze fake = FakeBraze.builder().catalog("products").start()) {
            String path = "/catalogs/products/items";
            HttpResponse<String> partial = send(fake, "POST", path, "{\"items\": [{\"id\": \"ok-1\", \"a\": 1}, "
                    + "{\"id\": \"bad id!\"}, {\"id\": \"ok2\", \"a.b\": 1}, {\"id\": \"ok3\", \"$x\": 1}]}",
                    "application/json");
            assertEquals(202, partial.statusCode());
            JsonNode errors = json(partial).get("errors");
            assertEquals(List.of("bad id!", "ok2", "ok3"), List.of(errors.get(0).get("id").asText(),
                    errors.get(1).get("id").asText(), errors.get(2).get("id").asText()));
            assertEquals(Set.of("ok-1"), fake.catalogItems("products").keySet());

            HttpResponse<String> allInvalid =
                    send(fake, "POST", path, "{\"items\": [{\"id\": \"\"}, {\"x\": 1}]}", "application/json");
            assertEquals(400, allInvalid.statusCode());
            assertEquals(2, json(allInvalid).get("errors").size());

            ObjectNode tooMany = JSON.createObjectNode();
            for (int i = 0; i < 51; i++) {
                tooMany.withArray("items").addObject().put("id", "i" + i);
            }
            assertEquals(400, send(fake, "POST", path, tooMany.toString(), "application/json").statusCode());
            assertEquals(1, fake.catalogItems("products").size());
        }
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
        assertEquals("Catalog item limit reached", answer.get("message").asText());
        assertEquals("c", answer.get("errors").get(0).get("id").asText());
        assertEquals("catalog-item-limit-exceeded", answer.get("errors").get(0).get("message").asText());
        assertEquals(1, answer.get("errors").size());
        assertFalse(braze.catalogItems("small").get("a").has("v")); // nothing processed
        // replacing existing items is fine
        assertEquals(202, send("PUT", path, "{\"items\": [{\"id\": \"a\", \"v\": 3}]}").statusCode());
        assertEquals(3, braze.catalogItems("small").get("a").get("v").asInt());
    }
}
