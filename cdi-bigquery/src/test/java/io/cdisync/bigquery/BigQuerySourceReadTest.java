package io.cdisync.bigquery;

import static io.cdisync.bigquery.BigQueryTestTables.T0;
import static io.cdisync.bigquery.BigQueryTestTables.drain;
import static io.cdisync.bigquery.BigQueryTestTables.source;
import static io.cdisync.bigquery.BigQueryTestTables.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdisync.bigquery.FakeBigQuery.Route;
import io.cdisync.core.DataType;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reads through the real google-cloud-bigquery client against {@link FakeBigQuery}: SQL, parameters, paging, polling, types. */
class BigQuerySourceReadTest {
    static final Instant UNTIL = Instant.parse("2026-06-01T00:00:00Z");

    final FakeBigQuery bigquery = FakeBigQuery.start();

    @AfterEach
    void close() {
        bigquery.close();
    }

    @Test
    void firstRunSelectsOnlyTheCdiColumnsPresentWithUntilAsANamedTimestampParameter() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        user(bigquery, T0, "u1", "{\"a\":1}");

        drain(source(bigquery).build().read(new ReadRequest(null, UNTIL, 500)));

        JsonNode body = bigquery.requests(Route.QUERY).get(0).json();
        assertThat(body.path("query").asText()).isEqualTo("SELECT `updated_at`, `External_Id`, `EMAIL`, `Payload`"
                + " FROM `acme-analytics`.`braze`.`users_sync` WHERE `updated_at` <= @until ORDER BY `updated_at`");
        assertThat(body.path("useLegacySql").asBoolean(true)).isFalse();
        assertThat(body.path("maxResults").asInt()).isEqualTo(500);
        assertThat(body.path("jobTimeoutMs").asLong()).isEqualTo(600_000);
        assertThat(parameters(body)).containsExactly(Map.entry("until", "TIMESTAMP=2026-06-01 00:00:00.000000+00:00"));
        assertThat(bigquery.requests(Route.GET_TABLE)).singleElement()
                .satisfies(r -> assertThat(r.path()).isEqualTo("/bigquery/v2/projects/acme-analytics/datasets/braze/tables/users_sync"));
    }

    @Test
    void laterRunsSendSinceRoundedUpAndUntilRoundedDownToBigQuerysMicroseconds() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        Instant from = Instant.parse("2026-01-01T00:00:00.123456001Z");
        Instant until = Instant.parse("2026-02-01T00:00:00.999999999Z");

        drain(source(bigquery).location("EU").build().read(new ReadRequest(from, until, 100)));

        JsonNode body = bigquery.requests(Route.QUERY).get(0).json();
        assertThat(body.path("location").asText()).isEqualTo("EU");
        assertThat(body.path("query").asText()).isEqualTo("SELECT `updated_at`, `External_Id`, `EMAIL`, `Payload`"
                + " FROM `acme-analytics`.`braze`.`users_sync` WHERE `updated_at` >= @since AND `updated_at` <= @until"
                + " ORDER BY `updated_at`");
        assertThat(parameters(body)).containsOnly(Map.entry("since", "TIMESTAMP=2026-01-01 00:00:00.123457+00:00"),
                Map.entry("until", "TIMESTAMP=2026-02-01 00:00:00.999999+00:00"));
    }

    @Test
    void pagesThroughTheResultWithTheBatchSizeAndMapsEveryColumn() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        for (int i = 0; i < 10; i++) {
            user(bigquery, T0.plusSeconds(i), "user-" + i, i == 4 ? null : "{\"n\":" + i + ",\"tags\":[{\"k\":\"a\"}]}");
        }

        List<List<SourceRow>> batches = drain(source(bigquery).build().read(new ReadRequest(null, UNTIL, 3)));

        assertThat(batches).extracting(List::size).containsExactly(3, 3, 3, 1);
        List<SourceRow> rows = batches.stream().flatMap(List::stream).toList();
        assertThat(rows).extracting(SourceRow::externalId).containsExactly("user-0", "user-1", "user-2", "user-3", "user-4",
                "user-5", "user-6", "user-7", "user-8", "user-9");
        // int64 microseconds on the first page, float seconds on tabledata.list pages: both exact to the microsecond.
        assertThat(rows).extracting(SourceRow::updatedAt).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2),
                T0.plusSeconds(3), T0.plusSeconds(4), T0.plusSeconds(5), T0.plusSeconds(6), T0.plusSeconds(7), T0.plusSeconds(8),
                T0.plusSeconds(9));
        assertThat(rows.get(7).payload()).isEqualTo("{\"n\":7,\"tags\":[{\"k\":\"a\"}]}");
        assertThat(rows.get(4).payload()).isNull();
        assertThat(rows.get(0).email()).isNull();
        assertThat(rows.get(0).deleted()).isNull();

        assertThat(bigquery.requests(Route.LIST_DATA)).extracting(r -> r.query().get("pageToken") + "/" + r.query().get("maxResults"))
                .containsExactly("token-3/3", "token-6/3", "token-9/3");
        assertThat(bigquery.requests(Route.LIST_DATA)).allSatisfy(r -> assertThat(r.path())
                .isEqualTo("/bigquery/v2/projects/acme-analytics/datasets/_anon_dataset/tables/anon_job_1/data"));
    }

    @Test
    void fetchesEachPageOnlyWhenTheEngineAsksAndStopsWhenClosed() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        for (int i = 0; i < 9; i++) {
            user(bigquery, T0.plusSeconds(i), "user-" + i, "{}");
        }
        RowStream stream = source(bigquery).build().read(new ReadRequest(null, UNTIL, 3));
        assertThat(bigquery.requests(Route.LIST_DATA)).isEmpty();

        assertThat(stream.nextBatch().rows()).hasSize(3);
        assertThat(bigquery.requests(Route.LIST_DATA)).isEmpty();
        assertThat(stream.nextBatch().rows()).hasSize(3);
        assertThat(bigquery.requests(Route.LIST_DATA)).hasSize(1);

        stream.close();
        assertThat(stream.nextBatch()).isNull();
        assertThat(bigquery.requests(Route.LIST_DATA)).hasSize(1);
    }

    @Test
    void pollsAJobThatIsNotCompleteAtFirstThenPagesItsResult() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        for (int i = 0; i < 7; i++) {
            user(bigquery, T0.plusSeconds(i), "user-" + i, "{\"n\":" + i + "}");
        }
        bigquery.incompleteFor(3);
        bigquery.defaultPageSize(5);

        List<List<SourceRow>> batches = drain(source(bigquery).build().read(new ReadRequest(null, UNTIL, 2)));

        // The POST answered jobComplete=false; the client polled getQueryResults until it said true.
        List<FakeBigQuery.Recorded> polls = bigquery.requests(Route.GET_QUERY_RESULTS);
        assertThat(polls).hasSize(3).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/bigquery/v2/projects/acme-analytics/queries/job_1");
            assertThat(r.query()).containsEntry("location", "US");
        });
        // The client's fallback lists the first page at BigQuery's default size; it is still handed out 2 rows at a time.
        assertThat(batches).extracting(List::size).containsExactly(2, 2, 1, 2);
        assertThat(batches.stream().flatMap(List::stream).map(SourceRow::externalId))
                .containsExactly("user-0", "user-1", "user-2", "user-3", "user-4", "user-5", "user-6");
        assertThat(bigquery.requests(Route.LIST_DATA)).extracting(r -> r.query().get("pageToken") + "/" + r.query().get("maxResults"))
                .containsExactly("null/null", "token-5/2");
    }

    @Test
    void payloadOfTypeStringIsPassedOnAsText() {
        BigQueryTestTables.usersTable(bigquery, "STRING");
        user(bigquery, T0, "u1", "{\"plain\":\"text column\"}");

        List<SourceRow> rows = drain(source(bigquery).build().read(new ReadRequest(null, UNTIL, 10))).get(0);

        assertThat(rows).singleElement().satisfies(row -> assertThat(row.payload()).isEqualTo("{\"plain\":\"text column\"}"));
    }

    @Test
    void catalogRowsCarryIdAndDeletedAsBoolean() {
        BigQueryTestTables.catalogTable(bigquery);
        catalogRow(T0, "sku-1", "{\"price\":3}", false);
        catalogRow(T0.plusSeconds(1), "sku-2", null, true);
        catalogRow(T0.plusSeconds(2), "sku-3", "{\"price\":5}", null);

        BigQuerySource source = source(bigquery).dataType(DataType.CATALOG_ITEMS).build();
        List<SourceRow> rows = drain(source.read(new ReadRequest(null, UNTIL, 10))).get(0);

        assertThat(bigquery.requests(Route.QUERY).get(0).json().path("query").asText())
                .startsWith("SELECT `UPDATED_AT`, `PAYLOAD`, `ID`, `DELETED` FROM");
        assertThat(rows).extracting(SourceRow::id).containsExactly("sku-1", "sku-2", "sku-3");
        assertThat(rows).extracting(SourceRow::deleted).containsExactly(false, true, null);
        assertThat(rows.get(0).payload()).isEqualTo("{\"price\":3}");
    }

    @Test
    void previewShowsTheNewestRowsFirst() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        for (int i = 0; i < 5; i++) {
            user(bigquery, T0.plusSeconds(i), "user-" + i, "{}");
        }

        List<SourceRow> preview = source(bigquery).build().preview(2);

        assertThat(preview).extracting(SourceRow::externalId).containsExactly("user-4", "user-3");
        JsonNode body = bigquery.requests(Route.QUERY).get(0).json();
        assertThat(body.path("query").asText()).endsWith("ORDER BY `updated_at` DESC LIMIT @limit");
        assertThat(parameters(body)).containsExactly(Map.entry("limit", "INT64=2"));
    }

    @Test
    void emptyResultEndsAtOnce() {
        BigQueryTestTables.usersTable(bigquery, "JSON");
        try (RowStream stream = source(bigquery).build().read(new ReadRequest(null, UNTIL, 10))) {
            RowBatch batch = stream.nextBatch();
            assertThat(batch).isNull();
        }
        assertThat(bigquery.requests(Route.LIST_DATA)).isEmpty();
    }

    private void catalogRow(Instant at, String id, String payload, Boolean deleted) {
        Map<String, Object> row = new HashMap<>();
        row.put("UPDATED_AT", at);
        row.put("ID", id);
        row.put("PAYLOAD", payload);
        row.put("DELETED", deleted);
        bigquery.insert(row);
    }

    /** name -> "TYPE=value" of each query parameter in a request body. */
    static Map<String, String> parameters(JsonNode body) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode p : body.path("queryParameters")) {
            out.put(p.path("name").asText(), p.path("parameterType").path("type").asText() + "="
                    + p.path("parameterValue").path("value").asText());
        }
        return out;
    }
}
