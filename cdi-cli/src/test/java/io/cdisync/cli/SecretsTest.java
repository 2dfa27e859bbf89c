package io.cdisync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cdisync.braze.BrazeClient;
import io.cdisync.braze.Secret;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.jdbc.ConnectionFactory;
import io.cdisync.core.jdbc.JdbcSource;
import io.cdisync.core.jdbc.SqlDialect;
import io.cdisync.core.spi.SourceSettings;
import io.cdisync.core.store.InMemoryWatermarkStore;
import io.cdisync.core.store.JdbcWatermarkStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No API key, password or token appears in any config object's toString(), or in messages and stack traces. */
class SecretsTest {
    static final String API_KEY = "braze-key-7f3a9c";
    static final String PASSWORD = "pg-pass-51d2e8";

    @Test
    void configObjectsAndFailuresNeverShowSecrets(@TempDir Path dir) throws Exception {
        List<String> texts = new ArrayList<>();
        Secret password = Secret.of(PASSWORD);
        String url = "jdbc:postgresql://127.0.0.1:1/warehouse?user=app&password=" + PASSWORD;
        ConnectionFactory connections = ConnectionFactory.of(url, "app", password);
        JdbcSource source = JdbcSource.builder().connectionFactory(connections).table("public.users")
                .dialect(SqlDialect.postgres()).build();
        JdbcWatermarkStore store = JdbcWatermarkStore.builder().connectionFactory(connections).dialect(SqlDialect.postgres()).build();
        try (BrazeClient braze = BrazeClient.builder().endpoint("http://127.0.0.1:1").apiKey(Secret.of(API_KEY)).build()) {
            SyncRunner runner = SyncRunner.builder().syncId("s").source(source).braze(braze)
                    .watermarkStore(new InMemoryWatermarkStore()).build();
            texts.add(Secret.of(API_KEY).toString());
            texts.add(braze.toString());
            texts.add(runner.toString());
            texts.add(source.toString());
            texts.add(source.describe());
            texts.add(connections.toString());
            texts.add(connections.target());
            texts.add(store.toString());
            texts.add(new SourceSettings("source", Map.of("password", PASSWORD, "token", API_KEY, "url", url)).toString());

            Path config = dir.resolve("cdi.yaml");
            Files.writeString(config, String.join("\n", "sync:", "  name: s", "  dataType: USER_ATTRIBUTES", "braze:",
                    "  endpoint: http://127.0.0.1:1", "  apiKey: ${KEY}", "source:", "  type: jdbc", "  url: " + url,
                    "  user: app", "  password: ${PG}", "  table: users", "state:", "  type: file", "  path: " + dir, ""));
            texts.add(CliConfig.load(config, Map.of("KEY", API_KEY, "PG", PASSWORD)).toString());

            // Failures: a refused connection, with the password in the URL and in the properties.
            Throwable failure = catchThrowable(source::check);
            assertThat(failure).isNotNull();
            texts.add(stackTrace(failure));
            Throwable storeFailure = catchThrowable(() -> store.load("s"));
            assertThat(storeFailure).isNotNull();
            texts.add(stackTrace(storeFailure));
        }
        for (String text : texts) {
            assertThat(text).doesNotContain(API_KEY).doesNotContain(PASSWORD);
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
