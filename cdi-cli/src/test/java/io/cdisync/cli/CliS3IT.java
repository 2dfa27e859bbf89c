package io.cdisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdisync.s3.S3TestServer;
import io.cdisync.testkit.FakeBraze;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code cdi.jar} in a child process: files in S3 (S3Proxy on 127.0.0.1) to the fake Braze. */
class CliS3IT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void syncsNewFilesOnceAndShowsTheLedger() throws Exception {
        try (S3TestServer s3 = S3TestServer.start(); FakeBraze braze = FakeBraze.start()) {
            s3.createBucket("exports");
            s3.putText("exports", "users/a.json", "{\"external_id\":\"u1\",\"payload\":{\"tier\":\"gold\"}}\n"
                    + "{\"external_id\":\"u2\",\"payload\":{\"tier\":\"silver\"}}\n");
            s3.putText("exports", "users/b.csv", "EXTERNAL_ID,PAYLOAD\nu3,\"{\"\"tier\"\":\"\"bronze\"\"}\"\nu4,{not json\n");
            Path config = dir.resolve("cdi.yaml");
            Files.writeString(config, String.join("\n",
                    "sync:",
                    "  name: s3-users",
                    "  dataType: USER_ATTRIBUTES",
                    "braze:",
                    "  endpoint: " + braze.url(),
                    "  apiKey: ${BRAZE_API_KEY}",
                    "source:",
                    "  type: s3",
                    "  bucket: exports",
                    "  folder: users/",
                    "  endpoint: " + s3.endpoint(),
                    "  pathStyleAccess: true",
                    "  region: us-east-1",
                    "  accessKeyId: " + S3TestServer.ACCESS_KEY_ID,
                    "  secretAccessKey: ${S3_SECRET}",
                    "  backfill: true",
                    "state:",
                    "  type: file",
                    "  path: " + dir.resolve("state"),
                    ""));
            Map<String, String> env = Map.of("BRAZE_API_KEY", braze.apiKey(), "S3_SECRET", S3TestServer.SECRET_ACCESS_KEY);

            CliJar.Result first = CliJar.run(env, dir, "sync", "--config", config.toString(), "--json");
            assertThat(first.exitCode()).as(first.stderr()).isEqualTo(3);
            JsonNode report = JSON.readTree(first.stdout());
            assertThat(report.path("rowsDelivered").asLong()).isEqualTo(3);
            assertThat(report.path("errors").get(0).path("rowKey").asText()).isEqualTo("users/b.csv:3");
            assertThat(braze.attributes()).hasSize(3);
            assertThat(first.stdout() + first.stderr()).doesNotContain(S3TestServer.SECRET_ACCESS_KEY);

            CliJar.Result second = CliJar.run(env, dir, "sync", "--config", config.toString(), "--json");
            assertThat(second.exitCode()).as(second.stderr()).isZero();
            assertThat(JSON.readTree(second.stdout()).path("rowsRead").asLong()).isZero();

            CliJar.Result status = CliJar.run(env, dir, "status", "--config", config.toString(), "--json");
            assertThat(status.exitCode()).as(status.stderr()).isZero();
            JsonNode state = JSON.readTree(status.stdout());
            assertThat(state.path("files").path("processed").asInt()).isEqualTo(2);
            assertThat(state.path("files").path("current").isNull()).isTrue();
            assertThat(braze.attributes()).hasSize(3);
        }
    }
}
