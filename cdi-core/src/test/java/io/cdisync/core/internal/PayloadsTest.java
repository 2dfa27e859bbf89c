package io.cdisync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.core.RowError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    @Test
    void parsesObjectsFromTextNodesAndMaps() throws Exception {
        ObjectNode fromText = Payloads.parseObject("{\"a\":{\"b\":[{\"c\":1}]},\"n\":null}", 1000);
        assertThat(fromText.path("a").path("b").get(0).path("c").asInt()).isEqualTo(1);
        assertThat(fromText.get("n").isNull()).isTrue();
        assertThat(Payloads.parseObject(fromText, 1000)).isSameAs(fromText);
        assertThat(Payloads.parseObject(Map.of("k", List.of(1, 2)), 1000).path("k").size()).isEqualTo(2);
    }

    @Test
    void refusesWhatIsNotASmallObject() {
        assertReason("[1]", "JSON array, not an object");
        assertReason("\"s\"", "JSON string, not an object");
        assertReason("{\"a\":", "not valid JSON");
        assertReason("{\"a\":1}{}", "not valid JSON");
        assertReason("{\"a\":1,\"a\":2}", "Duplicate field 'a'");
        assertReason("{\"a\":NaN}", "not valid JSON");
        assertReason("", "PAYLOAD is empty");
        assertReason("{\"a\":\"" + "é".repeat(60) + "\"}", "bytes; Braze accepts at most 100 bytes");
        assertReason("{\"a\":\"\ud800\"}", "unpaired UTF-16 surrogate");
        String deep = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertThatThrownBy(() -> Payloads.parseObject(deep, 1_000_000)).isInstanceOf(InvalidRow.class)
                .hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> Payloads.parseObject(null, 100)).isInstanceOf(InvalidRow.class).hasMessageContaining("NULL");
    }

    @Test
    void countsUtf8BytesIncludingSurrogatePairs() throws Exception {
        assertThat(Payloads.utf8Length("aé€😀")).isEqualTo(1 + 2 + 3 + 4);
    }

    private static void assertReason(String payload, String reason) {
        assertThatThrownBy(() -> Payloads.parseObject(payload, 100))
                .isInstanceOf(InvalidRow.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((InvalidRow) e).kind()).isEqualTo(RowError.Kind.INVALID_PAYLOAD));
    }
}
