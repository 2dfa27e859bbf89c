package io.cdisync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdisync.core.DataType;
import io.cdisync.core.spi.IdentifierResolver;
import io.cdisync.core.spi.IdentifierResolver.Resolution;
import io.cdisync.core.spi.SourceRow;
import io.cdisync.core.spi.UserIdentifier;
import org.junit.jupiter.api.Test;

class BrazeIdentifierRulesTest {
    final IdentifierResolver rules = IdentifierResolver.braze();

    Resolution resolve(SourceRow.Builder row) {
        return rules.resolve(row.build(), DataType.USER_ATTRIBUTES);
    }

    @Test
    void eachSingleIdentifierResolves() {
        assertThat(resolve(SourceRow.builder().externalId("e")).identifier()).isEqualTo(new UserIdentifier.ExternalId("e"));
        assertThat(resolve(SourceRow.builder().aliasName("n").aliasLabel("l")).identifier())
                .isEqualTo(new UserIdentifier.Alias("n", "l"));
        assertThat(resolve(SourceRow.builder().brazeId("b")).identifier()).isEqualTo(new UserIdentifier.BrazeId("b"));
        assertThat(resolve(SourceRow.builder().email("a@b.c")).identifier()).isEqualTo(new UserIdentifier.Email("a@b.c"));
        assertThat(resolve(SourceRow.builder().phone("+1555")).identifier()).isEqualTo(new UserIdentifier.Phone("+1555"));
    }

    @Test
    void emailWinsOverPhone() {
        assertThat(resolve(SourceRow.builder().email("a@b.c").phone("+1555")).identifier())
                .isEqualTo(new UserIdentifier.Email("a@b.c"));
    }

    @Test
    void brokenRowsNameTheColumnsFound() {
        assertThat(resolve(SourceRow.builder()).error()).startsWith("no identifier");
        assertThat(resolve(SourceRow.builder().externalId("e").brazeId("b")).error())
                .contains("several identifiers (EXTERNAL_ID, BRAZE_ID)");
        assertThat(resolve(SourceRow.builder().externalId("e").email("a@b.c").phone("1")).error())
                .contains("EXTERNAL_ID, EMAIL");
        assertThat(resolve(SourceRow.builder().aliasLabel("l")).error()).contains("ALIAS_LABEL is set but ALIAS_NAME is missing");
        assertThat(resolve(SourceRow.builder().externalId("  ")).error()).contains("EXTERNAL_ID is blank");
        assertThat(resolve(SourceRow.builder().externalId("")).error()).contains("EXTERNAL_ID is blank");
    }

    @Test
    void deletesRefuseEmailAndPhone() {
        Resolution email = rules.resolve(SourceRow.builder().email("a@b.c").build(), DataType.USER_DELETES);
        assertThat(email.isValid()).isFalse();
        assertThat(email.error()).contains("cannot name a user by EMAIL");
        assertThat(rules.resolve(SourceRow.builder().externalId("e").build(), DataType.USER_DELETES).isValid()).isTrue();
    }

    @Test
    void identifiersWriteBrazeFields() {
        var object = Payloads.JSON.createObjectNode();
        new UserIdentifier.Alias("n", "l").writeTo(object);
        assertThat(object.toString()).isEqualTo("{\"user_alias\":{\"alias_name\":\"n\",\"alias_label\":\"l\"}}");
        assertThat(new UserIdentifier.ExternalId("x").key()).isNotEqualTo(new UserIdentifier.BrazeId("x").key());
    }
}
