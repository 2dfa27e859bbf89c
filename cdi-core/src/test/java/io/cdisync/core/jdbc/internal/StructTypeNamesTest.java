package io.cdisync.core.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StructTypeNamesTest {
    @Test
    void readsFieldNamesOfNestedAndQuotedStructs() {
        assertThat(StructTypeNames.fieldNames("STRUCT(a INTEGER, b VARCHAR, l INTEGER[], n STRUCT(x DOUBLE, y DECIMAL(10,2)))"))
                .containsExactly("a", "b", "l", "n");
        assertThat(StructTypeNames.fieldNames("STRUCT(\"first name\" VARCHAR, \"a,b\" MAP(VARCHAR, INTEGER), \"q\"\"x\" INT)"))
                .containsExactly("first name", "a,b", "q\"x");
        assertThat(StructTypeNames.fieldNames("row(id bigint)")).containsExactly("id");
    }

    @Test
    void anythingElseIsNotUnderstood() {
        assertThat(StructTypeNames.fieldNames("MAP(VARCHAR, INTEGER)")).isNull();
        assertThat(StructTypeNames.fieldNames("my_udt")).isNull();
        assertThat(StructTypeNames.fieldNames(null)).isNull();
        assertThat(StructTypeNames.fieldNames("STRUCT(\"unclosed VARCHAR)")).isNull();
    }
}
