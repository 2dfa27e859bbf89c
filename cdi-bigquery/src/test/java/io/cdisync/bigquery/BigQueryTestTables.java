package io.cdisync.bigquery;

import com.google.cloud.NoCredentials;
import io.cdisync.bigquery.FakeBigQuery.Column;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared fixtures: the stub's tables, rows, and a source aimed at the stub with the real client. */
final class BigQueryTestTables {
    static final String PROJECT = "acme-analytics";
    static final String DATASET = "braze";
    static final String TABLE = "users_sync";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456Z");

    private BigQueryTestTables() {
    }

    /** A user table in mixed letter case, with an unrelated column the source must not select. */
    static void usersTable(FakeBigQuery bigquery, String payloadType) {
        bigquery.table(PROJECT, DATASET, TABLE, new Column("updated_at", "TIMESTAMP"), new Column("External_Id", "STRING"),
                new Column("EMAIL", "STRING"), new Column("Payload", payloadType), new Column("internal_note", "STRING"));
    }

    /** A catalog table: UPDATED_AT, ID, PAYLOAD (JSON), DELETED. */
    static void catalogTable(FakeBigQuery bigquery) {
        bigquery.table(PROJECT, DATASET, TABLE, new Column("UPDATED_AT", "TIMESTAMP"), new Column("ID", "STRING"),
                new Column("PAYLOAD", "JSON"), new Column("DELETED", "BOOLEAN"));
    }

    static void user(FakeBigQuery bigquery, Instant at, String externalId, String payload) {
        Map<String, Object> row = new HashMap<>();
        row.put("updated_at", at);
        row.put("External_Id", externalId);
        row.put("Payload", payload);
        row.put("internal_note", "never selected");
        bigquery.insert(row);
    }

    static BigQuerySource.Builder source(FakeBigQuery bigquery) {
        return BigQuerySource.builder().projectId(PROJECT).dataset(DATASET).table(TABLE).host(bigquery.url())
                .credentials(NoCredentials.getInstance()).maxAttempts(1);
    }

    /** Drains a stream, keeping its batches. */
    static List<List<SourceRow>> drain(RowStream stream) {
        List<List<SourceRow>> batches = new ArrayList<>();
        try (stream) {
            RowBatch batch;
            while ((batch = stream.nextBatch()) != null) {
                batches.add(batch.rows());
            }
        }
        return batches;
    }
}
