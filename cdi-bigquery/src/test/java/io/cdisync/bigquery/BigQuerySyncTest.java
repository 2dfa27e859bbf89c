package io.cdisync.bigquery;

import static io.cdisync.bigquery.BigQueryTestTables.T0;
import static io.cdisync.bigquery.BigQueryTestTables.source;
import static io.cdisync.bigquery.BigQueryTestTables.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdisync.bigquery.FakeBigQuery.Route;
import io.cdisync.braze.BrazeClient;
import io.cdisync.core.CdiException;
import io.cdisync.core.DataType;
import io.cdisync.core.RowError;
import io.cdisync.core.SyncReport;
import io.cdisync.core.SyncRunner;
import io.cdisync.core.SyncStatus;
import io.cdisync.core.store.InMemoryWatermarkStore;
import io.cdisync.testkit.CdiTestExtension;
import io.cdisync.testkit.FakeBraze;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** End to end: the stubbed BigQuery API -> real client -> BigQuerySource -> SyncRunner -> BrazeClient -> FakeBraze. */
@ExtendWith(CdiTestExtension.class)
class BigQuerySyncTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    final FakeBigQuery bigquery = FakeBigQuery.start();
    final InMemoryWatermarkStore store = new InMemoryWatermarkStore();

    @AfterEach
    void close() {
        bigquery.close();
    }

    SyncRunner runner(DataType type, BigQuerySource source, BrazeClient client) {
        return SyncRunner.builder().syncId("bigquery-sync").dataType(type).source(source).braze(client).watermarkStore(store)
                .clock(NOW).checkpointInterval(Duration.ZERO).fetchSize(100).build();
    }

    @Test
    void userAttributesArriveAndTheSecondRunAsksForRowsSinceTheWatermark(FakeBraze braze, BrazeClient client) {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        for (int i = 0; i < 250; i++) {
            user(bigquery, T0.plusSeconds(i), "user-" + i, "{\"n\":" + i + ",\"profile\":{\"tier\":\"gold\",\"tags\":[{\"k\":\"a\"}]}}");
        }
        SyncRunner sync = runner(DataType.USER_ATTRIBUTES, source(bigquery).build(), client);

        SyncReport first = sync.run();

        assertThat(first.status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(first.rowsRead()).isEqualTo(250);
        assertThat(first.rowsDelivered()).isEqualTo(250);
        assertThat(first.watermarkAfter()).isEqualTo(T0.plusSeconds(249));
        assertThat(braze.attributes()).hasSize(250);
        ObjectNode user7 = braze.attributes().stream().filter(o -> o.path("external_id").asText().equals("user-7")).findFirst()
                .orElseThrow();
        assertThat(user7.path("n").asInt()).isEqualTo(7);
        assertThat(user7.path("profile").path("tags").get(0).path("k").asText()).isEqualTo("a");
        assertThat(BigQuerySourceReadTest.parameters(bigquery.requests(Route.QUERY).get(0).json()))
                .containsOnlyKeys("until").containsEntry("until", "TIMESTAMP=2026-06-01 00:00:00.000000+00:00");
        assertThat(bigquery.requests(Route.LIST_DATA)).hasSize(2); // pages of 100: the query's own, then two listings

        // A row committed late at exactly the watermark, and newer rows.
        user(bigquery, T0.plusSeconds(249), "tied-late", "{\"late\":true}");
        user(bigquery, T0.plusSeconds(300), "user-5", "{\"n\":500}");
        user(bigquery, T0.plusSeconds(301), "new-user", "{\"n\":501}");
        SyncReport second = sync.run();

        JsonNode secondQuery = bigquery.requests(Route.QUERY).get(1).json();
        assertThat(secondQuery.path("query").asText()).contains("WHERE `updated_at` >= @since AND `updated_at` <= @until");
        assertThat(BigQuerySourceReadTest.parameters(secondQuery))
                .containsEntry("since", "TIMESTAMP=2026-01-01 00:04:09.123456+00:00")
                .containsEntry("until", "TIMESTAMP=2026-06-01 00:00:00.000000+00:00");
        assertThat(second.watermarkBefore()).isEqualTo(T0.plusSeconds(249));
        assertThat(second.rowsRead()).isEqualTo(4);
        assertThat(second.rowsSkipped()).isEqualTo(1); // user-249, delivered by the first run
        assertThat(second.rowsDelivered()).isEqualTo(3);
        assertThat(second.watermarkAfter()).isEqualTo(T0.plusSeconds(301));
        assertThat(braze.attributes()).hasSize(253);
        assertThat(braze.attributes().subList(250, 253)).extracting(o -> o.path("external_id").asText())
                .containsExactlyInAnyOrder("tied-late", "user-5", "new-user");
    }

    @Test
    void customEventsArriveWithTheirTimeDefaultingToUpdatedAtAndBadRowsAreReported(FakeBraze braze, BrazeClient client) {
        BigQueryTestTables.usersTable(bigquery, "STRING");
        for (int i = 0; i < 120; i++) {
            user(bigquery, T0.plusSeconds(i), "player-" + (i % 10), "{\"name\":\"level_up\",\"properties\":{\"level\":" + i + "}}");
        }
        user(bigquery, T0.plusSeconds(200), "player-1", "{\"properties\":{\"level\":0}}");
        BigQuerySource source = source(bigquery).dataType(DataType.CUSTOM_EVENTS).build();

        SyncReport report = runner(DataType.CUSTOM_EVENTS, source, client).run();

        assertThat(report.status()).isNotEqualTo(SyncStatus.ERROR);
        assertThat(report.rowsDelivered()).isEqualTo(120);
        assertThat(report.rowErrors()).singleElement().extracting(RowError::reason).asString().contains("'name'");
        assertThat(braze.events()).hasSize(120).allSatisfy(e -> assertThat(e.path("name").asText()).isEqualTo("level_up"));
        ObjectNode level42 = braze.events().stream().filter(e -> e.path("properties").path("level").asInt() == 42).findFirst()
                .orElseThrow();
        assertThat(level42.path("external_id").asText()).isEqualTo("player-2");
        assertThat(Instant.parse(level42.path("time").asText())).isEqualTo(T0.plusSeconds(42));
        // One user's events reach Braze in UPDATED_AT order.
        List<Integer> player3 = braze.events().stream().filter(e -> e.path("external_id").asText().equals("player-3"))
                .map(e -> e.path("properties").path("level").asInt()).toList();
        assertThat(player3).isSorted().hasSize(12);
    }

    @Test
    void aMissingRoleEndsTheRunWithTheRoleNamedAndTheWatermarkUnmoved(FakeBraze braze, BrazeClient client) {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        user(bigquery, T0, "u1", "{}");
        bigquery.fail(Route.QUERY, 403, "accessDenied", BigQueryFailuresTest.JOBS_DENIED);

        SyncReport report = runner(DataType.USER_ATTRIBUTES, source(bigquery).build(), client).run();

        assertThat(report.status()).isEqualTo(SyncStatus.ERROR);
        assertThat(report.failure()).isInstanceOf(CdiException.AccessDenied.class).hasMessageContaining("roles/bigquery.jobUser");
        assertThat(store.load("bigquery-sync")).isEmpty();
        assertThat(braze.requests()).isEmpty();
    }
}
