package io.cdisync.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableNameTest {
    @Test
    void parsesOneTwoAndThreeParts() {
        assertThat(TableName.parse("users")).isEqualTo(new TableName(null, null, "users"));
        assertThat(TableName.parse("ingest.users")).isEqualTo(new TableName(null, "ingest", "users"));
        assertThat(TableName.parse("db.ingest.users")).isEqualTo(new TableName("db", "ingest", "users"));
        assertThat(TableName.parse("\"my.schema\".\"Users \"\"v2\"\"\"")).isEqualTo(new TableName(null, "my.schema", "Users \"v2\""));
    }

    @Test
    void refusesMalformedNames() {
        assertThatThrownBy(() -> TableName.parse("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> TableName.parse("a..b")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> TableName.parse("a.b.c.d")).hasMessageContaining("more than three parts");
        assertThatThrownBy(() -> TableName.parse("\"open")).hasMessageContaining("unclosed quote");
        assertThatThrownBy(() -> TableName.parse("users\n")).hasMessageContaining("control characters");
    }

    @Test
    void theDialectQuotesEveryPartSoNoNameCanInjectSql() {
        SqlDialect dialect = SqlDialect.standard();
        assertThat(dialect.qualifiedName(TableName.parse("users\"; DROP TABLE x; --")))
                .isEqualTo("\"users\"\"; DROP TABLE x; --\"");
        assertThat(dialect.incrementalQuery(new TableName(null, "s", "t"), java.util.List.of("UPDATED_AT", "Payload"), "UPDATED_AT", true))
                .isEqualTo("SELECT \"UPDATED_AT\", \"Payload\" FROM \"s\".\"t\" WHERE \"UPDATED_AT\" >= ? AND \"UPDATED_AT\" <= ?"
                        + " ORDER BY \"UPDATED_AT\"");
        assertThat(dialect.incrementalQuery(new TableName(null, null, "t"), java.util.List.of("UPDATED_AT"), "UPDATED_AT", false))
                .isEqualTo("SELECT \"UPDATED_AT\" FROM \"t\" WHERE \"UPDATED_AT\" <= ? ORDER BY \"UPDATED_AT\"");
    }
}
