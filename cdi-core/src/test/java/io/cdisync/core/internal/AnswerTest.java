package io.cdisync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.braze.BrazeResponse;
import io.cdisync.braze.EncodedObject;
import io.cdisync.braze.ObjectError;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.UserIdentifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How Braze's answer maps to each row: delivered only when Braze accepted it. */
class AnswerTest {
    static final Endpoint TRACK = Endpoint.of(DataType.USER_ATTRIBUTES, null, 75, 4_000_000);
    static final Endpoint CATALOG = Endpoint.of(DataType.CATALOG_ITEMS, "products", 75, 4_000_000);

    static List<RowTranslator.Translated> users(int n) {
        List<RowTranslator.Translated> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UserIdentifier id = new UserIdentifier.ExternalId("u" + i);
            ObjectNode object = Payloads.JSON.createObjectNode().put("external_id", "u" + i);
            rows.add(new RowTranslator.Translated(id, null, null, EncodedObject.of(object), false));
        }
        return rows;
    }

    static List<RowTranslator.Translated> items(String... ids) {
        List<RowTranslator.Translated> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(new RowTranslator.Translated(null, id, Payloads.JSON.createObjectNode().put("id", id), null, false));
        }
        return rows;
    }

    @Test
    void aProcessedRequestDeliversWhatItDidNotName() {
        BrazeResponse response = new BrazeResponse(201, "success",
                List.of(new ObjectError("attributes", 1, null, "provided external_id is blacklisted and disallowed")), 1, 0);
        Answer answer = Answer.of(TRACK, response, users(3));
        assertThat(answer.globalError()).isNull();
        assertThat(answer.outcome(0)).isEqualTo(Answer.Outcome.DELIVERED);
        assertThat(answer.outcome(1)).isEqualTo(Answer.Outcome.REJECTED);
        assertThat(answer.reason(1)).isEqualTo("rejected by Braze: provided external_id is blacklisted and disallowed");
        assertThat(answer.outcome(2)).isEqualTo(Answer.Outcome.DELIVERED);
    }

    @Test
    void aWholeRequestRefusedDeliversNothingAndSendsTheUnnamedAgain() {
        BrazeResponse response = new BrazeResponse(400, "Valid data must be provided",
                List.of(new ObjectError("attributes", 0, null, "'external_id' is required")), 1, 0, true);
        Answer answer = Answer.of(TRACK, response, users(3));
        assertThat(answer.globalError()).isNull();
        assertThat(answer.outcome(0)).isEqualTo(Answer.Outcome.REJECTED);
        assertThat(answer.outcome(1)).isEqualTo(Answer.Outcome.SEND_AGAIN);
        assertThat(answer.outcome(2)).isEqualTo(Answer.Outcome.SEND_AGAIN);
    }

    @Test
    void aCatalog400NamingItemsIsReadAsNothingWrittenEvenWithoutTheFlag() {
        BrazeResponse response = new BrazeResponse(400, "Invalid Request",
                List.of(new ObjectError("items", 1, "car002", "invalid-fields: Some of the fields given do not exist in the catalog")),
                1, 0);
        Answer answer = Answer.of(CATALOG, response, items("car001", "car002"));
        assertThat(answer.outcome(0)).isEqualTo(Answer.Outcome.SEND_AGAIN);
        assertThat(answer.outcome(1)).isEqualTo(Answer.Outcome.REJECTED);
        assertThat(answer.reason(1)).contains("invalid-fields").contains("do not exist in the catalog");
    }

    @Test
    void aRefusalNamingNoRowOfTheRequestEndsTheRun() {
        BrazeResponse response = new BrazeResponse(400, "Invalid Request",
                List.of(new ObjectError("items", -1, "elsewhere", "invalid-fields")), 1, 0, true);
        Answer answer = Answer.of(CATALOG, response, items("a", "b"));
        assertThat(answer.globalError()).contains("refused a whole request of 2 objects").contains("400");
    }
}
