package io.cdisync.bigquery.internal;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A query's result, one page per batch. Only the current page is in memory: the first comes with the
 * query's answer, each next one is fetched when the engine asks for it, from the job's (temporary)
 * destination table with the read's page size.
 *
 * <p>Why not {@code TableResult.getNextPage()}: the client drops the page size after the first page,
 * so pages would be as large as BigQuery's default (up to 10 MB each). One page still comes at that
 * default size: the first one of a job that was not complete when {@code jobs.query} answered, because
 * the client's fallback lists it without a page size; it is handed out in batches of {@code pageSize}.
 *
 * <p>Timestamps: the first page honours {@code useInt64Timestamp}; the client does not pass that option
 * on to {@code tabledata.list}, so later pages carry float seconds. {@link RowMapper} reads both exactly.
 */
public final class ResultStream implements RowStream {
    private static final Logger LOG = LoggerFactory.getLogger(ResultStream.class);

    private final BigQuery bigquery;
    private final RowMapper mapper;
    private final long pageSize;
    private final TableRef table;
    private final String jobProject;
    private TableResult page;
    private TableId destination;
    private JobId jobId;
    private Schema schema;
    private String nextToken;
    private Iterator<FieldValueList> rowsOfPage;
    private long pages;
    private long rows;
    private volatile boolean closed;

    /**
     * @param first the query's first page (already fetched)
     */
    public ResultStream(BigQuery bigquery, TableResult first, RowMapper mapper, long pageSize, TableRef table, String jobProject) {
        this.bigquery = bigquery;
        this.page = first;
        this.mapper = mapper;
        this.pageSize = pageSize;
        this.table = table;
        this.jobProject = jobProject;
    }

    @Override
    public RowBatch nextBatch() {
        while (!closed) {
            if (rowsOfPage == null || !rowsOfPage.hasNext()) {
                if (page == null) {
                    if (nextToken == null) {
                        return null;
                    }
                    // Fetched when the engine asks for more, not ahead: one page in memory at a time.
                    page = fetch(nextToken);
                }
                TableResult current = page;
                page = null;
                jobId = jobId != null ? jobId : current.getJobId();
                schema = current.getSchema() != null ? current.getSchema() : schema;
                nextToken = current.hasNextPage() ? current.getNextPageToken() : null;
                rowsOfPage = current.getValues().iterator();
                pages++;
            }
            // A page can be larger than pageSize (see the class comment): it is cut into batches of pageSize.
            List<SourceRow> batch = new ArrayList<>();
            while (batch.size() < pageSize && rowsOfPage.hasNext()) {
                batch.add(mapper.map(rowsOfPage.next()));
            }
            rows += batch.size();
            if (!batch.isEmpty()) {
                return new RowBatch(batch);
            }
        }
        return null;
    }

    /** Stops the stream: the next {@link #nextBatch()} returns null. The job's result is a temporary table BigQuery expires itself. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LOG.debug("closed read of {} after {} pages, {} rows", table, pages, rows);
        }
    }

    private TableResult fetch(String token) {
        try {
            return bigquery.listTableData(destination(), schema, BigQuery.TableDataListOption.pageToken(token),
                    BigQuery.TableDataListOption.pageSize(pageSize));
        } catch (RuntimeException e) {
            throw BigQueryFailures.classify(e, BigQueryFailures.Step.READ_RESULTS, table, jobProject);
        }
    }

    private TableId destination() {
        if (destination == null) {
            if (jobId == null) {
                throw new IllegalStateException("BigQuery returned a result page token without a job reference");
            }
            Job job = bigquery.getJob(jobId);
            if (job == null || !(job.getConfiguration() instanceof QueryJobConfiguration query) || query.getDestinationTable() == null) {
                throw new IllegalStateException("BigQuery job " + jobId.getJob() + " has no destination table to page through");
            }
            destination = query.getDestinationTable();
        }
        return destination;
    }
}
