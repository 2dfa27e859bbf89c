package io.cdisync.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Snowflake JDBC driver against {@link FakeSnowflake}: login, the SQL and bindings sent, the rows mapped back, errors. */
class SnowflakeSourceTest {
    static final SnowflakeKeyPair KEYS = SnowflakeKeys.generate();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456789Z");
    static final Instant UNTIL = Instant.parse("2026-06-01T00:00:00Z");

    final FakeSnowflake snowflake = FakeSnowflake.start();
    TimeZone jvmZone;

    @BeforeEach
    void jvmInNewYork() {
        // A zone-less TIMESTAMP_NTZ must read as UTC whatever the JVM's zone.
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    }

    @AfterEach
    void close() {
        TimeZone.setDefault(jvmZone);
        snowflake.close();
    }

    static FakeSnowflakeTable usersTable(FakeSnowflake snowflake, String updatedAtType) {
        snowflake.user("CDI_USER", KEYS.publicKeyBase64());
        return snowflake.table("ANALYTICS", "BRAZE", "USERS_SYNC").column("UPDATED_AT", updatedAtType).column("EXTERNAL_ID", "TEXT")
                .column("PAYLOAD", "VARIANT").column("NOTES", "TEXT");
    }

    static SnowflakeSource.Builder source(FakeSnowflake snowflake) {
        return SnowflakeSource.builder().url(snowflake.url()).account("acme").user("cdi_user").privateKey(KEYS.privateKeyPem())
                .warehouse("cdi_wh").role("cdi_role").database("analytics").schema("braze").table("users_sync")
                .loginTimeout(Duration.ofSeconds(10));
    }

    static List<SourceRow> readAll(SnowflakeSource source, Instant from) {
        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = source.read(new ReadRequest(from, UNTIL, 2))) {
            for (RowBatch batch = stream.nextBatch(); batch != null; batch = stream.nextBatch()) {
                assertThat(batch.size()).isLessThanOrEqualTo(2);
                rows.addAll(batch.rows());
            }
        }
        return rows;
    }

    @Test
    void readsRowsInOrderWithNtzAsUtcAndTheBoundsBoundAsTimestampNtz() {
        FakeSnowflakeTable table = usersTable(snowflake, "TIMESTAMP_NTZ");
        table.insert(Map.of("UPDATED_AT", T0.plusSeconds(20), "EXTERNAL_ID", "u2", "PAYLOAD", "{\n  \"tier\": \"gold\"\n}", "NOTES", "x"));
        table.insert(Map.of("UPDATED_AT", T0, "EXTERNAL_ID", "u1", "PAYLOAD", "{\"n\":1,\"tags\":[{\"k\":\"a\"}]}"));
        table.insert(Map.of("UPDATED_AT", T0.plusSeconds(10), "EXTERNAL_ID", "u3", "PAYLOAD", "{}"));
        table.insert(Map.of("UPDATED_AT", UNTIL.plusSeconds(1), "EXTERNAL_ID", "future", "PAYLOAD", "{}"));

        List<SourceRow> rows = readAll(source(snowflake).build(), null);

        assertThat(rows).extracting(SourceRow::externalId).containsExactly("u1", "u3", "u2");
        assertThat(rows.get(0).updatedAt()).isEqualTo(T0);
        assertThat(rows.get(0).payload()).isEqualTo("{\"n\":1,\"tags\":[{\"k\":\"a\"}]}");
        assertThat(rows.get(2).payload()).isEqualTo("{\n  \"tier\": \"gold\"\n}");
        FakeSnowflake.Query select = snowflake.selects().get(0);
        assertThat(select.sql()).isEqualTo("SELECT \"UPDATED_AT\", \"EXTERNAL_ID\", \"PAYLOAD\" FROM \"ANALYTICS\".\"BRAZE\".\"USERS_SYNC\""
                + " WHERE \"UPDATED_AT\" <= ? ORDER BY \"UPDATED_AT\"");
        // TIMESTAMP_NTZ bindings carry the UTC wall time as epoch nanoseconds, whatever the JVM's zone.
        assertThat(select.bindings().size()).isEqualTo(1);
        assertThat(select.bindings().path("1").path("type").asText()).isEqualTo("TIMESTAMP_NTZ");
        assertThat(select.bindings().path("1").path("value").asText()).isEqualTo("1780272000000000000");
        assertThat(select.authorization()).startsWith("Snowflake Token=\"session-");

        List<SourceRow> since = readAll(source(snowflake).build(), T0.plusSeconds(10));
        assertThat(since).extracting(SourceRow::externalId).containsExactly("u3", "u2");
        JsonNode bindings = snowflake.selects().get(1).bindings();
        assertThat(snowflake.selects().get(1).sql()).contains("WHERE \"UPDATED_AT\" >= ? AND \"UPDATED_AT\" <= ?");
        assertThat(bindings.path("1").path("value").asText()).isEqualTo("1767225610123456789");
        assertThat(bindings.path("2").path("value").asText()).isEqualTo("1780272000000000000");
    }

    @Test
    void theLoginCarriesAKeyPairJwtThatVerifiesWithTheGeneratedPublicKey() {
        usersTable(snowflake, "TIMESTAMP_NTZ");

        source(snowflake).build().check();

        FakeSnowflake.Login login = snowflake.logins().get(0);
        assertThat(login.authenticator()).isEqualTo("SNOWFLAKE_JWT");
        assertThat(login.user()).isEqualTo("cdi_user");
        assertThat(login.jwtClaims().path("sub").asText()).isEqualTo("ACME.CDI_USER");
        assertThat(login.jwtClaims().path("iss").asText()).isEqualTo("ACME.CDI_USER." + KEYS.fingerprint());
        assertThat(login.verifiedFingerprint()).isEqualTo(KEYS.fingerprint());
        assertThat(login.query()).containsEntry("databaseName", "analytics").containsEntry("schemaName", "braze")
                .containsEntry("warehouse", "cdi_wh").containsEntry("roleName", "cdi_role");
        assertThat(login.sessionParameters().path("CLIENT_METADATA_REQUEST_USE_CONNECTION_CTX").asText()).isEqualTo("true");
        assertThat(login.sessionParameters().path("JDBC_QUERY_RESULT_FORMAT").asText()).isEqualTo("JSON");
        assertThat(login.clientEnvironment().path("disablePlatformDetection").asText()).isEqualTo("true");
        assertThat(login.clientEnvironment().toString()).doesNotContain(KEYS.privateKeyPem().reveal().substring(40, 80));
        // check(): the table found through SHOW COLUMNS in the configured schema, then a query that reads no row.
        assertThat(snowflake.queries()).extracting(FakeSnowflake.Query::sql)
                .anyMatch(sql -> sql.startsWith("show /* JDBC:DatabaseMetaData.getColumns() */ columns in schema \"ANALYTICS\".\"BRAZE\""))
                .noneMatch(sql -> sql.contains("in account"))
                .contains("SELECT \"UPDATED_AT\", \"EXTERNAL_ID\", \"PAYLOAD\" FROM \"ANALYTICS\".\"BRAZE\".\"USERS_SYNC\" WHERE 1=0");
        assertThat(snowflake.sessionsDeleted()).isEqualTo(1);
    }

    @Test
    void zonedTimestampsAreConvertedToUtcAndBoundAsInstants() {
        FakeSnowflakeTable table = usersTable(snowflake, "TIMESTAMP_TZ").tzOffset(ZoneOffset.ofHours(9));
        table.insert(Map.of("UPDATED_AT", T0, "EXTERNAL_ID", "tokyo", "PAYLOAD", "{}"));

        List<SourceRow> rows = readAll(source(snowflake).build(), T0);

        assertThat(rows).singleElement().satisfies(r -> assertThat(r.updatedAt()).isEqualTo(T0));
        JsonNode bindings = snowflake.selects().get(0).bindings();
        assertThat(bindings.path("1").path("type").asText()).isEqualTo("TIMESTAMP_LTZ");
        assertThat(bindings.path("1").path("value").asText()).isEqualTo("1767225600123456789");
    }

    @Test
    void anEncryptedPrivateKeyLogsIn() {
        SnowflakeKeyPair encrypted = SnowflakeKeys.generate(Secret.of("correct horse battery staple"));
        snowflake.user("CDI_USER", encrypted.publicKeyBase64());
        snowflake.table("ANALYTICS", "BRAZE", "USERS_SYNC").column("UPDATED_AT", "TIMESTAMP_NTZ").column("EXTERNAL_ID", "TEXT")
                .insert(Map.of("UPDATED_AT", T0, "EXTERNAL_ID", "u1"));

        List<SourceRow> rows = readAll(source(snowflake).privateKey(encrypted.privateKeyPem())
                .privateKeyPassphrase(Secret.of("correct horse battery staple")).build(), null);

        assertThat(rows).extracting(SourceRow::externalId).containsExactly("u1");
        assertThat(snowflake.logins().get(0).verifiedFingerprint()).isEqualTo(encrypted.fingerprint());
    }

    @Test
    void aRefusedKeyIsAccessDeniedNamingTheFixAndNoSecret() {
        SnowflakeKeyPair other = SnowflakeKeys.generate(Secret.of("pass phrase 1"));
        usersTable(snowflake, "TIMESTAMP_NTZ");
        SnowflakeSource source = source(snowflake).privateKey(other.privateKeyPem()).privateKeyPassphrase(Secret.of("pass phrase 1")).build();

        assertThatThrownBy(source::check).isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("Snowflake refused the key-pair login of user cdi_user")
                .hasMessageContaining("JWT token is invalid")
                .hasMessageContaining(other.fingerprint())
                .hasMessageContaining("ALTER USER \"CDI_USER\" SET RSA_PUBLIC_KEY=")
                .satisfies(e -> {
                    assertThat(((CdiException) e).retryable()).isFalse();
                    String all = e.getMessage() + e.getCause();
                    assertThat(all).doesNotContain("pass phrase 1").doesNotContain(other.privateKeyPem().reveal().substring(40, 80));
                });
    }

    @Test
    void aMissingTableOrColumnIsAConfigurationError() {
        usersTable(snowflake, "TIMESTAMP_NTZ");
        assertThatThrownBy(() -> source(snowflake).table("nope").build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("table analytics.braze.nope not found");

        snowflake.table("ANALYTICS", "BRAZE", "NO_IDS").column("UPDATED_AT", "TIMESTAMP_NTZ").column("PAYLOAD", "VARIANT");
        assertThatThrownBy(() -> source(snowflake).table("NO_IDS").build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("none of the columns EXTERNAL_ID");

        snowflake.table("ANALYTICS", "BRAZE", "TEXT_TIME").column("UPDATED_AT", "TEXT").column("EXTERNAL_ID", "TEXT");
        assertThatThrownBy(() -> source(snowflake).table("TEXT_TIME").build().check()).isInstanceOf(CdiException.ConfigurationError.class)
                .hasMessageContaining("UPDATED_AT must be a timestamp");
    }

    @Test
    void builderAndKeyErrorsNameTheSetting() {
        assertThatThrownBy(() -> SnowflakeSource.builder().account("acme").user("u").privateKey(KEYS.privateKeyPem()).database("d")
                .schema("s").build()).isInstanceOf(IllegalStateException.class).hasMessage("table is required");
        assertThatThrownBy(() -> source(snowflake).privateKey(Secret.of("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .build()).isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("privateKey: not a valid RSA private key");
        SnowflakeKeyPair encrypted = SnowflakeKeys.generate(Secret.of("right"));
        assertThatThrownBy(() -> source(snowflake).privateKey(encrypted.privateKeyPem()).build())
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("privateKeyPassphrase");
        assertThatThrownBy(() -> source(snowflake).privateKey(encrypted.privateKeyPem()).privateKeyPassphrase(Secret.of("wrong")).build())
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("the passphrase does not decrypt the private key")
                .hasMessageNotContaining("wrong");
        assertThatThrownBy(() -> source(snowflake).connectionProperty("password", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(source(snowflake).build().toString()).contains("analytics.braze.users_sync").doesNotContain("PRIVATE KEY");
    }
}
