package io.cdisync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.IdentifierResolver;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.UserIdentifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming fast path writes what the tree path writes, and leaves every doubtful row to it. */
class AttributeEncoderTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> ACCEPTED = List.of(
            "{}",
            "{\"plan\":\"gold\"}",
            "{\"n\":1,\"f\":2.50,\"big\":1e400,\"neg\":-7,\"t\":true,\"u\":false,\"z\":null}",
            "{\"address\":{\"city\":\"Paris\",\"geo\":{\"lat\":48.85}},\"pets\":[{\"name\":\"Rex\"},[1,[2]],\"x\"]}",
            "{\"s\":\"quote \\\" backslash \\\\ tab \\t unicode \\u00e9 é 😀 </script>\"}",
            "{\"$add\":[\"a\"],\"_merge_objects\":true,\"obj\":{\"$update\":[{\"k\":1}]}}",
            " {\"spaced\" : [ 1 , 2 ] } ");

    /** Rows the fast path hands to the tree path: errors, and the legal-but-unusual email/phone keys. */
    static final List<String> LEFT_TO_THE_TREE = List.of(
            "", "   ", "[]", "\"text\"", "12", "null", "{", "{\"a\":1,}", "{\"a\":1}{}", "{\"a\":1} x",
            "{\"a\":1,\"a\":2}", "{\"o\":{\"k\":1,\"k\":2}}", "{\"external_id\":\"x\"}", "{\"user_alias\":{}}",
            "{\"braze_id\":\"b\"}", "{\"email\":\"other@x.y\"}", "{\"phone\":\"+1\"}", "{\"_update_existing_only\":false}",
            "{\"n\":NaN}", "{'single':1}");

    final RowTranslator translator = new RowTranslator(DataType.USER_ATTRIBUTES, IdentifierResolver.braze(), false);

    @Test
    void theFastPathWritesTheSameObjectAsTheTreePath() throws Exception {
        for (String payload : ACCEPTED) {
            AttributeEncoder encoder = new AttributeEncoder(false);
            byte[] fast = toBytes(encoder.encode(new UserIdentifier.ExternalId("u-1"), payload));
            var tree = Payloads.parseObject(payload, 1 << 20);
            PayloadRules.attributes(tree);
            var expected = Payloads.JSON.createObjectNode().put("external_id", "u-1");
            expected.setAll(tree);
            JsonNode actual = Payloads.JSON.readTree(fast);
            assertThat(actual).as(payload).isEqualTo(expected);
            assertThat(actual.fieldNames().next()).as("the identifier comes first").isEqualTo("external_id");
        }
    }

    @Test
    void identifiersOfEveryKindAndUpdateExistingOnlyAreWritten() throws Exception {
        AttributeEncoder encoder = new AttributeEncoder(true);
        assertThat(JSON.readTree(toBytes(encoder.encode(new UserIdentifier.Alias("n", "l"), "{\"a\":1}"))))
                .isEqualTo(JSON.readTree("{\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":\"l\"},\"a\":1,"
                        + "\"_update_existing_only\":true}"));
        assertThat(new String(toBytes(encoder.encode(new UserIdentifier.Email("a@b.c"), "{}")), StandardCharsets.UTF_8))
                .isEqualTo("{\"email\":\"a@b.c\",\"_update_existing_only\":true}");
        assertThat(new String(toBytes(encoder.encode(new UserIdentifier.Phone("+1"), "{\"x\":[]}")), StandardCharsets.UTF_8))
                .isEqualTo("{\"phone\":\"+1\",\"x\":[],\"_update_existing_only\":true}");
        assertThat(new String(toBytes(encoder.encode(new UserIdentifier.BrazeId("b"), "{}")), StandardCharsets.UTF_8))
                .isEqualTo("{\"braze_id\":\"b\",\"_update_existing_only\":true}");
    }

    @Test
    void doubtfulRowsAreLeftToTheTreePathAndTheNextRowIsUnharmed() throws Exception {
        AttributeEncoder encoder = new AttributeEncoder(false);
        for (String payload : LEFT_TO_THE_TREE) {
            assertThat(encoder.encode(new UserIdentifier.ExternalId("u"), payload)).as(payload).isNull();
            // A row abandoned half-way must not leak into the next one.
            assertThat(new String(toBytes(encoder.encode(new UserIdentifier.ExternalId("v"), "{\"ok\":1}")),
                    StandardCharsets.UTF_8)).isEqualTo("{\"external_id\":\"v\",\"ok\":1}");
        }
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i <= 250; i++) {
            many.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":").append(i);
        }
        assertThat(encoder.encode(new UserIdentifier.ExternalId("u"), many.append('}').toString())).isNull();
        StringBuilder twenty = new StringBuilder("{\"o\":{");
        for (int i = 0; i < 20; i++) {
            twenty.append("\"k").append(i).append("\":1,");
        }
        String lateDuplicate = twenty.append("\"k3\":2}}").toString();
        assertThat(encoder.encode(new UserIdentifier.ExternalId("u"), lateDuplicate)).isNull();
        assertThat(encoder.encode(new UserIdentifier.ExternalId("u"), lateDuplicate.replace("\"k3\":2", "\"k20\":2")))
                .isNotNull();
        assertThat(encoder.encode(new UserIdentifier.ExternalId("u"), "{\"a\":[{\"x\":1},{\"x\":1}],\"o\":{\"p\":{\"x\":1},\"x\":2}}"))
                .as("the same key in sibling and nested objects is no duplicate").isNotNull();
        assertThatThrownBy(() -> encoder.encode(new UserIdentifier.ExternalId("u"), "{\"s\":\"\ud800\"}"))
                .isInstanceOf(InvalidRow.class).hasMessageContaining("surrogate");
    }

    @Test
    void theTranslatorGivesTheTreePathsAnswerForRowsTheFastPathLeaves() throws Exception {
        SourceRow emailInPayload = SourceRow.builder().email("a@b.c").payload("{\"email\":\"new@b.c\",\"x\":1}").build();
        assertThat(translator.translate(emailInPayload).tree())
                .isEqualTo(JSON.readTree("{\"email\":\"new@b.c\",\"x\":1}"));
        assertThatThrownBy(() -> translator.translate(SourceRow.builder().externalId("e").payload("{\"a\":1,\"a\":2}").build()))
                .isInstanceOf(InvalidRow.class).hasMessageContaining("Duplicate field 'a'");
    }

    private static byte[] toBytes(io.cdisync.braze.EncodedObject encoded) {
        assertThat(encoded).isNotNull();
        byte[] bytes = new byte[encoded.length()];
        encoded.copyTo(bytes, 0);
        return bytes;
    }
}
