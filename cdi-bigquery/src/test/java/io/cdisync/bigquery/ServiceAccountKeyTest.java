package io.cdisync.bigquery;

import static io.cdisync.bigquery.BigQueryTestTables.T0;
import static io.cdisync.bigquery.BigQueryTestTables.drain;
import static io.cdisync.bigquery.BigQueryTestTables.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.bigquery.FakeBigQuery.Route;
import io.cdisync.braze.Secret;
import io.cdisync.core.CdiException;
import io.cdisync.core.spi.ReadRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real service-account JSON key (a fresh RSA key) whose {@code token_uri} points at the stub: the client
 * signs a JWT, trades it for an access token and sends that token to the API. Nothing leaves 127.0.0.1.
 */
class ServiceAccountKeyTest {
    static final ReadRequest READ = new ReadRequest(null, Instant.parse("2026-06-01T00:00:00Z"), 100);

    final FakeBigQuery bigquery = FakeBigQuery.start();

    @AfterEach
    void close() {
        bigquery.close();
    }

    @Test
    void aKeyFileGetsAnAccessTokenAndTheProjectFromTheKey(@TempDir Path dir) throws Exception {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        user(bigquery, T0, "u1", "{\"a\":1}");
        Path keyFile = dir.resolve("key.json");
        Files.writeString(keyFile, keyJson(bigquery.url() + "/token"));

        BigQuerySource source = BigQuerySource.builder().serviceAccountKeyFile(keyFile).dataset("braze").table("users_sync")
                .host(bigquery.url()).maxAttempts(1).build();
        assertThat(drain(source.read(READ))).hasSize(1);

        assertThat(bigquery.requests(Route.TOKEN)).hasSize(1);
        assertThat(bigquery.requests(Route.TOKEN).get(0).body()).contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer");
        assertThat(bigquery.requests(Route.QUERY)).singleElement().satisfies(r -> {
            assertThat(r.authorization()).isEqualTo("Bearer " + FakeBigQuery.ACCESS_TOKEN);
            assertThat(r.path()).startsWith("/bigquery/v2/projects/acme-analytics/");
        });
        assertThat(source.describe()).isEqualTo("bigquery table acme-analytics.braze.users_sync");
    }

    @Test
    void aRevokedKeyIsAccessDeniedSayingTheKeyIsInvalid() throws Exception {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        bigquery.fail(Route.TOKEN, 400, "invalid_grant", "Invalid JWT Signature.");
        String json = keyJson(bigquery.url() + "/token");

        BigQuerySource source = BigQuerySource.builder().serviceAccountKey(Secret.of(json)).dataset("braze").table("users_sync")
                .host(bigquery.url()).maxAttempts(1).build();

        assertThatThrownBy(source::check).isInstanceOf(CdiException.AccessDenied.class)
                .hasMessageContaining("service-account key is invalid")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("PRIVATE KEY"));
        assertThat(bigquery.requests(Route.GET_TABLE)).isEmpty();
    }

    @Test
    void keysThatCannotBeUsedAreConfigurationErrorsThatNeverQuoteTheKey(@TempDir Path dir) {
        String broken = "{\"type\":\"service_account\",\"client_email\":\"a@b.iam.gserviceaccount.com\",\"client_id\":\"1\","
                + "\"private_key_id\":\"k\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nTOPSECRETBYTES\\n-----END PRIVATE KEY-----\\n\"}";
        assertThatThrownBy(() -> BigQuerySource.builder().serviceAccountKey(Secret.of(broken)).dataset("d").table("t").build())
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining("not a usable JSON key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TOPSECRETBYTES"))
                .hasNoCause();
        assertThatThrownBy(() -> BigQuerySource.builder().serviceAccountKey(Secret.of("{not json TOPSECRETBYTES")).dataset("d")
                .table("t").build())
                .isInstanceOf(CdiException.ConfigurationError.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TOPSECRETBYTES"));
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> BigQuerySource.builder().serviceAccountKeyFile(missing).dataset("d").table("t").build())
                .isInstanceOf(CdiException.ConfigurationError.class).hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> BigQuerySource.builder().dataset("d").table("t").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one of");
    }

    /** A service-account key as Google issues it, with a fresh RSA key and the token endpoint at {@code tokenUri}. */
    static String keyJson(String tokenUri) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode key = new ObjectMapper().createObjectNode()
                .put("type", "service_account")
                .put("project_id", "acme-analytics")
                .put("private_key_id", "0123456789abcdef")
                .put("private_key", pem)
                .put("client_email", "cdi-sync@acme-analytics.iam.gserviceaccount.com")
                .put("client_id", "100000000000000000001")
                .put("token_uri", tokenUri);
        return new ObjectMapper().writeValueAsString(key);
    }
}
