package io.cdisync.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What makes {@link FakeBraze} answer as Braze does on {@code /users/track} and on every endpoint: the
 * 400 of a request without a valid object, update-only alias objects, the 50-objects plan mode and the
 * 4 MB payload limit; each checked on the answer and on what the fake stored.
 */
class FakeBrazeFidelityTest extends FakeBrazeTestSupport {

    @Test
    void aRequestWithoutAnyValidObjectIs400WithThePerObjectErrors() throws Exception {
        String body = "{\"attributes\": [{\"first_name\": \"NoId\"}, {\"external_id\": \"u1\", \"email\": \"nope\"}],"
                + " \"events\": [{\"external_id\": \"u2\", \"time\": \"2024-05-01T10:00:00Z\"}]}";
        HttpResponse<String> refused = post(TRACK, body);
        assertEquals(400, refused.statusCode());
        JsonNode answer = json(refused);
        assertEquals(FakeBrazeTrackHandler.NO_VALID_DATA, answer.get("message").asText());
        assertEquals(Map.of("attributes", List.of(0, 1), "events", List.of(0)), errorIndices(answer));
        assertEquals(FakeBrazeTrackChecks.IDENTIFIER_REQUIRED, answer.get("errors").get(0).get("type").asText());
        assertEquals(FakeBrazeTrackChecks.INVALID_EMAIL, answer.get("errors").get(1).get("type").asText());
        assertFalse(answer.has("attributes_processed"));
        assertTrue(braze.attributes().isEmpty());
        assertTrue(braze.events().isEmpty());
        assertEquals(0, braze.trackObjectsAccepted());

        // one valid object makes it a 201 partial success, with counts only for arrays that processed one
        HttpResponse<String> partial = post(TRACK, body.replace("\"first_name\": \"NoId\"", "\"external_id\": \"u0\""));
        assertEquals(201, partial.statusCode());
        JsonNode ok = json(partial);
        assertEquals(1, ok.get("attributes_processed").asInt());
        assertFalse(ok.has("events_processed"));
        assertEquals(Map.of("attributes", List.of(1), "events", List.of(0)), errorIndices(ok));
        assertEquals(List.of("u0"), externalIds(braze.attributes()));
    }

    @Test
    void rejectRulesCountAsInvalidObjectsToo() throws Exception {
        braze.rejectObjects(o -> true, "provided external_id is blacklisted and disallowed");
        HttpResponse<String> refused = post(TRACK, attributes("u", 2));
        assertEquals(400, refused.statusCode());
        assertEquals("provided external_id is blacklisted and disallowed",
                json(refused).get("errors").get(1).get("type").asText());
    }

    @Test
    void anIdentifierWithEmailOrPhoneAsProfileFieldsIsAccepted() throws Exception {
        String body = "{\"attributes\": [{\"external_id\": \"u1\", \"email\": \"a@b.example\", \"email_subscribe\": "
                + "\"subscribed\"}, {\"external_id\": \"u2\", \"phone\": \"+15550100\"}, {\"_update_existing_only\": "
                + "false, \"user_alias\": {\"alias_name\": \"n\", \"alias_label\": \"l\"}, \"email\": \"c@d.example\"},"
                + " {\"email\": \"e@f.example\", \"phone\": \"+15550101\"}, {\"phone\": \"+15550102\"}]}";
        HttpResponse<String> ok = post(TRACK, body);
        assertEquals(201, ok.statusCode());
        assertEquals(JSON.readTree("{\"attributes_processed\": 5, \"message\": \"success\"}"), json(ok));
        assertEquals(5, braze.attributes().size());
        assertEquals(400, post(TRACK, "{\"attributes\": [{\"external_id\": \"u1\", \"braze_id\": \"b\"}]}").statusCode());
    }

    @Test
    void aliasObjectsAreUpdateOnlyByDefault() throws Exception {
        String alias = "\"user_alias\": {\"alias_name\": \"crm-1\", \"alias_label\": \"crm\"}";
        HttpResponse<String> updateOnly = post(TRACK, "{\"attributes\": [{" + alias + ", \"plan\": \"pro\"}]}");
        assertEquals(201, updateOnly.statusCode()); // Braze answers success ...
        assertEquals(1, json(updateOnly).get("attributes_processed").asInt());
        assertTrue(braze.attributes().isEmpty()); // ... and changes nothing
        assertFalse(braze.hasAliasUser("crm-1", "crm"));
        assertEquals(List.of(JSON.readTree("{" + alias + ", \"plan\": \"pro\"}")), braze.skippedUpdateOnly());
        assertEquals(0, braze.trackObjectsAccepted());
        // events of an unknown alias are not applied either
        post(TRACK, "{\"events\": [{" + alias + ", \"name\": \"e\", \"time\": \"2024-05-01T10:00:00Z\"}]}");
        assertTrue(braze.events().isEmpty());

        HttpResponse<String> creating = post(TRACK, "{\"attributes\": [{\"_update_existing_only\": false, " + alias
                + ", \"plan\": \"pro\"}]}");
        assertEquals(201, creating.statusCode());
        assertTrue(braze.hasAliasUser("crm-1", "crm"));
        assertEquals(1, braze.attributes().size());
        // now the user exists: update-only objects for it are applied
        post(TRACK, "{\"attributes\": [{" + alias + ", \"plan\": \"max\"}]}");
        assertEquals(2, braze.attributes().size());
        assertEquals(2, braze.skippedUpdateOnly().size());

        // deleting the user makes it unknown again
        assertEquals(201, post("/users/delete", "{\"user_aliases\": [{\"alias_name\": \"crm-1\", \"alias_label\": "
                + "\"crm\"}]}").statusCode());
        assertFalse(braze.hasAliasUser("crm-1", "crm"));
        post(TRACK, "{\"attributes\": [{" + alias + ", \"plan\": \"again\"}]}");
        assertEquals(2, braze.attributes().size());

        braze.addAliasUser("known", "crm");
        post(TRACK, "{\"attributes\": [{\"user_alias\": {\"alias_name\": \"known\", \"alias_label\": \"crm\"}}]}");
        assertEquals(3, braze.attributes().size());
        braze.reset();
        assertFalse(braze.hasAliasUser("known", "crm"));
        assertTrue(braze.skippedUpdateOnly().isEmpty());
    }

    @Test
    void externalIdObjectsAreUpdateOnlyWhenTheySaySo() throws Exception {
        post(TRACK, "{\"attributes\": [{\"external_id\": \"new\", \"_update_existing_only\": true}]}");
        assertTrue(braze.attributes().isEmpty());
        assertEquals(1, braze.skippedUpdateOnly().size());
        post(TRACK, "{\"attributes\": [{\"external_id\": \"new\"}, {\"external_id\": \"new\", "
                + "\"_update_existing_only\": true}]}");
        assertEquals(2, braze.attributes().size());
        braze.addUser("seeded");
        post(TRACK, "{\"attributes\": [{\"external_id\": \"seeded\", \"_update_existing_only\": true}]}");
        assertEquals(3, braze.attributes().size());
    }

    @Test
    void the50ObjectsPlanModeRefusesLargerRequestsWhole() throws Exception {
        try (FakeBraze plan = FakeBraze.builder().trackObjectsPerRequest(50).start()) {
            ObjectNode body = (ObjectNode) JSON.readTree(attributes("a", 30));
            ArrayNode events = body.putArray("events");
            for (int i = 0; i < 21; i++) {
                events.addObject().put("external_id", "e" + i).put("name", "n").put("time", "2024-01-01T00:00:00Z");
            }
            HttpResponse<String> over = send(plan, "POST", TRACK, body.toString(), "application/json");
            assertEquals(400, over.statusCode());
            assertEquals(FakeBrazeTrackHandler.TOO_MANY, json(over).get("message").asText());
            assertTrue(plan.attributes().isEmpty());
            assertTrue(plan.events().isEmpty());
            events.remove(20);
            assertEquals(201, send(plan, "POST", TRACK, body.toString(), "application/json").statusCode());
            assertEquals(30, plan.attributes().size());
            assertEquals(20, plan.events().size());
        }
        // the default is Braze's 75 per array, 225 in all
        assertEquals(201, post(TRACK, attributes("u", 75)).statusCode());
        assertThrows(IllegalArgumentException.class, () -> FakeBraze.builder().trackObjectsPerRequest(0));
    }

    @Test
    void bodiesOver4MbAre413OnEveryEndpointAndStoreNothing() throws Exception {
        braze.createCatalog("c");
        String padding = "x".repeat(4_000_000);
        String track = "{\"attributes\": [{\"external_id\": \"u\", \"p\": \"" + padding + "\"}]}";
        HttpResponse<String> tooLarge = post(TRACK, track);
        assertEquals(413, tooLarge.statusCode());
        assertTrue(tooLarge.headers().firstValue("X-RateLimit-Limit").isPresent());
        assertEquals(413, post("/users/delete", "{\"external_ids\": [\"" + padding + "\"]}").statusCode());
        assertEquals(413, send("PUT", "/catalogs/c/items", "{\"items\": [{\"id\": \"a\", \"v\": \"" + padding
                + "\"}]}").statusCode());
        assertTrue(braze.attributes().isEmpty());
        assertTrue(braze.deletedUsers().isEmpty());
        assertTrue(braze.catalogItems("c").isEmpty());

        // exactly 4,000,000 bytes is accepted
        String prefix = "{\"attributes\": [{\"external_id\": \"u\", \"p\": \"";
        String suffix = "\"}]}";
        String exact = prefix + "y".repeat((int) FakeBraze.MAX_REQUEST_BYTES - prefix.length() - suffix.length()) + suffix;
        assertEquals(FakeBraze.MAX_REQUEST_BYTES, exact.length());
        assertEquals(201, post(TRACK, exact).statusCode());

        try (FakeBraze small = FakeBraze.builder().maxRequestBytes(100).start()) {
            assertEquals(413, send(small, "POST", TRACK, attributes("u", 5), "application/json").statusCode());
            assertEquals(201, send(small, "POST", TRACK, attributes("u", 1), "application/json").statusCode());
        }
    }
}
