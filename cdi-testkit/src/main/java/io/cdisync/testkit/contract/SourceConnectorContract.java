package io.cdisync.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cdisync.core.CdiException;
import io.cdisync.core.spi.ReadRequest;
import io.cdisync.core.spi.RowBatch;
import io.cdisync.core.spi.RowStream;
import io.cdisync.core.spi.SourceConnector;
import io.cdisync.core.spi.SourceRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The promises of {@link SourceConnector} and {@link RowStream} for table sources, as tests: extend this class in
 * your test tree to check your own connector, the way cdi checks its built-in ones.
 *
 * <pre>{@code
 * class MyWarehouseSourceTest extends SourceConnectorContract {
 *     @Override
 *     protected SourceConnector createSource(List<ContractRow> rows) {
 *         String table = warehouse.createTable("UPDATED_AT TIMESTAMP, EXTERNAL_ID TEXT, PAYLOAD TEXT");
 *         for (ContractRow row : rows) {
 *             warehouse.insert(table, row.updatedAt(), row.id(), row.payload());
 *         }
 *         return MyWarehouseSource.builder().table(table).build();
 *     }
 * }
 * }</pre>
 *
 * <p>What is checked, as {@link ReadRequest} and {@link SourceConnector} say it: rows come in UPDATED_AT order,
 * whatever the insertion order and the batch size; rows with equal UPDATED_AT all come, each once, also when they
 * straddle batches, and again on a re-read from that instant; {@code from} and {@code until} are both inclusive,
 * {@code from} null reads from the beginning, rows before {@code from} never come and rows after {@code until}
 * only for connectors that say they cannot filter by it ({@link #filtersUntil()}); rows whose UPDATED_AT is NULL
 * come first or last, or not at all; {@link RowStream#close()} may be called early, twice, and from another
 * thread to cancel a read, and {@link SourceConnector#close()} from another thread while a read is open; a
 * failure of the source mid-stream surfaces from {@code nextBatch()} as a {@link CdiException}, never as the
 * silent end of the read ({@link #failReadsInProgress}).
 *
 * <p>Ties come in any order, as {@link RowBatch} allows: the contract does not ask two reads to order them alike.
 * Batch sizes are the connector's choice ({@code batchSize} is a hint), so they are not checked either.
 */
public abstract class SourceConnectorContract {
    /** Instants the test rows are built around; whole milliseconds, so any warehouse's timestamp type holds them. */
    protected static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    /** An upper bound after every test row. */
    protected static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

    private final List<SourceConnector> created = new ArrayList<>();

    /**
     * A row of the table {@link #createSource} makes: the UPDATED_AT column (null for SQL NULL), the
     * identifier column ({@code EXTERNAL_ID} unless {@link #idOf} reads another) and the PAYLOAD column, JSON text.
     */
    public record ContractRow(Instant updatedAt, String id, String payload) {
    }

    /**
     * Creates a new table (or view, or file...) holding exactly {@code rows}, in the order given, and a connector
     * reading it. Called once or more per test, each time for a new table; the contract closes the connectors.
     */
    protected abstract SourceConnector createSource(List<ContractRow> rows) throws Exception;

    /** The identifier of a row as the connector read it (default {@link SourceRow#externalId()}). */
    protected String idOf(SourceRow row) {
        return row.externalId();
    }

    /**
     * Whether the connector filters {@code until} in the source (default true). A connector that cannot returns
     * later rows too, as {@link ReadRequest} allows; the contract then checks that they come after the rows in range.
     */
    protected boolean filtersUntil() {
        return true;
    }

    /** Whether {@link #createSource} can store a NULL UPDATED_AT (default true); if not, that test is skipped. */
    protected boolean supportsNullUpdatedAt() {
        return true;
    }

    /**
     * Makes the reads {@code source} has open fail at their next fetch, as a lost connection would (e.g. kill the
     * session in the database). Return false (the default) when the fixture cannot: that test is then skipped.
     * The contract calls it after the first batch of a read of 200 rows in batches of 5.
     */
    protected boolean failReadsInProgress(SourceConnector source) throws Exception {
        return false;
    }

    @AfterEach
    void closeConnectors() {
        created.forEach(SourceConnector::close);
    }

    @Test
    void rowsComeInUpdatedAtOrderWhateverTheInsertionOrderAndBatchSize() throws Exception {
        List<ContractRow> rows = spaced(60);
        List<ContractRow> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(14));
        SourceConnector source = source(shuffled);
        for (int batchSize : new int[] {1, 7, 10_000}) {
            List<SourceRow> read = readAll(source, new ReadRequest(null, FAR, batchSize));
            assertThat(read).as("batch size " + batchSize).extracting(SourceRow::updatedAt).isSorted();
            assertThat(read).as("batch size " + batchSize).extracting(this::idOf)
                    .containsExactlyElementsOf(rows.stream().map(ContractRow::id).toList());
            assertPayloads(read, rows);
        }
    }

    @Test
    void rowsWithEqualUpdatedAtAllComeOnceAlsoAcrossBatchesAndOnAReRead() throws Exception {
        List<ContractRow> rows = new ArrayList<>();
        rows.add(new ContractRow(T0.minusSeconds(1), "before", "{\"n\":-1}"));
        for (int i = 0; i < 23; i++) {
            rows.add(new ContractRow(T0, "tie-" + i, "{\"n\":" + i + "}"));
        }
        rows.add(new ContractRow(T0.plusSeconds(1), "after", "{\"n\":99}"));
        SourceConnector source = source(rows);
        List<String> ties = rows.subList(1, 24).stream().map(ContractRow::id).toList();

        List<SourceRow> all = readAll(source, new ReadRequest(null, FAR, 4));
        assertThat(all).extracting(this::idOf).hasSize(25).doesNotHaveDuplicates().startsWith("before").endsWith("after");
        assertThat(all.subList(1, 24)).extracting(this::idOf).containsExactlyInAnyOrderElementsOf(ties);
        assertPayloads(all, rows);
        assertThat(readAll(source, new ReadRequest(T0, T0, 5))).as("a re-read of the tie's instant")
                .extracting(this::idOf).containsExactlyInAnyOrderElementsOf(ties);
    }

    @Test
    void fromAndUntilAreBothInclusive() throws Exception {
        SourceConnector source = source(List.of(
                new ContractRow(T0.minusMillis(1), "just-before", "{}"),
                new ContractRow(T0, "at-from", "{}"),
                new ContractRow(T0.plusSeconds(5), "inside", "{}"),
                new ContractRow(T0.plusSeconds(10), "at-until", "{}"),
                new ContractRow(T0.plusSeconds(10).plusMillis(1), "just-after", "{}")));
        assertThat(ids(source, T0, T0.plusSeconds(10))).containsExactly("at-from", "inside", "at-until");
        assertThat(ids(source, T0.plusMillis(1), T0.plusSeconds(10).minusMillis(1))).containsExactly("inside");
        assertThat(ids(source, T0, T0)).as("from == until").containsExactly("at-from");
        assertThat(ids(source, T0.plusSeconds(6), T0.plusSeconds(9))).as("a window with no row").isEmpty();
    }

    @Test
    void noFromReadsFromTheBeginningUpToUntil() throws Exception {
        SourceConnector source = source(List.of(new ContractRow(Instant.parse("1971-01-01T00:00:00Z"), "old", "{}"),
                new ContractRow(T0, "at-until", "{}"), new ContractRow(T0.plusSeconds(1), "later", "{}")));
        assertThat(ids(source, null, T0)).containsExactly("old", "at-until");
        assertThat(ids(source, null, FAR)).containsExactly("old", "at-until", "later");
        assertThat(ids(source, null, Instant.parse("1970-06-01T00:00:00Z"))).as("until before every row").isEmpty();
        assertThat(ids(source, T0.plusSeconds(2), FAR)).as("from after every row").isEmpty();
    }

    @Test
    void rowsWithoutUpdatedAtComeFirstOrLastOrNotAtAll() throws Exception {
        assumeTrue(supportsNullUpdatedAt(), "the fixture cannot store a NULL UPDATED_AT");
        SourceConnector source = source(List.of(new ContractRow(T0.plusSeconds(1), "b", "{}"),
                new ContractRow(null, "no-time", "{}"), new ContractRow(T0, "a", "{}")));
        List<String> ids = readAll(source, new ReadRequest(null, FAR, 2)).stream().map(this::idOf).toList();
        assertThat(ids).as("rows read").isIn(List.of("a", "b"), List.of("no-time", "a", "b"), List.of("a", "b", "no-time"));
        assertThat(ids(source, T0, FAR)).as("with a lower bound").containsSubsequence("a", "b").hasSizeBetween(2, 3);
    }

    @Test
    void aStreamMayBeClosedEarlyTwiceAndWithoutReading() throws Exception {
        SourceConnector source = source(spaced(30));
        RowStream unread = source.read(new ReadRequest(null, FAR, 5));
        assertThatCode(unread::close).doesNotThrowAnyException();
        RowStream early = source.read(new ReadRequest(null, FAR, 5));
        assertThat(early.nextBatch().rows()).isNotEmpty();
        early.close();
        assertThatCode(early::close).as("a second close (the engine's cancel, then its finally)").doesNotThrowAnyException();
        assertThat(ids(source, null, FAR)).as("a read after closed ones").hasSize(30);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingTheStreamFromAnotherThreadEndsTheRead() throws Exception {
        SourceConnector source = source(spaced(200));
        RowStream stream = source.read(new ReadRequest(null, FAR, 1));
        assertThat(stream.nextBatch()).isNotNull();
        CountDownLatch reading = new CountDownLatch(1);
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            reading.countDown();
            return drainUntilClosed(stream);
        });
        reading.await();
        CompletableFuture.runAsync(stream::close).get(30, TimeUnit.SECONDS);
        assertThat(reader.get(30, TimeUnit.SECONDS)).as("rows read after the first batch").isLessThanOrEqualTo(199);
        assertThatCode(stream::close).doesNotThrowAnyException();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingTheConnectorFromAnotherThreadWhileAReadIsOpenReturns() throws Exception {
        SourceConnector source = source(spaced(50));
        RowStream stream = source.read(new ReadRequest(null, FAR, 5));
        assertThat(stream.nextBatch()).isNotNull();
        CompletableFuture.runAsync(source::close).get(30, TimeUnit.SECONDS);
        drainUntilClosed(stream); // rows, the end, or an exception: the connector may have cancelled the read
        assertThatCode(stream::close).doesNotThrowAnyException();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFailureMidStreamIsACdiExceptionFromNextBatchNotTheEndOfTheRead() throws Exception {
        List<ContractRow> rows = spaced(200);
        SourceConnector source = source(rows);
        RowStream stream = source.read(new ReadRequest(null, FAR, 5));
        List<SourceRow> read = new ArrayList<>(stream.nextBatch().rows());
        assumeTrue(failReadsInProgress(source), "the fixture cannot make a read fail");
        assertThatThrownBy(() -> {
            RowBatch batch;
            while ((batch = stream.nextBatch()) != null) {
                read.addAll(batch.rows());
            }
        }).as("reading on after the failure").isInstanceOf(CdiException.class);
        assertThat(read).as("rows before the failure").hasSizeLessThan(rows.size()).extracting(SourceRow::updatedAt).isSorted();
        assertThatCode(stream::close).as("closing a failed stream").doesNotThrowAnyException();
    }

    /** The connector over a new table of {@code rows}, closed after the test. */
    protected final SourceConnector source(List<ContractRow> rows) throws Exception {
        SourceConnector source = createSource(rows);
        created.add(source);
        return source;
    }

    /** {@code n} rows one second apart from {@link #T0}: ids {@code r0, r1, ...}, payloads {@code {"n":i}}. */
    protected static List<ContractRow> spaced(int n) {
        List<ContractRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new ContractRow(T0.plusSeconds(i), "r" + i, "{\"n\":" + i + "}"));
        }
        return rows;
    }

    /** Every row of the read, checking the order and the bounds on the way. */
    protected final List<SourceRow> readAll(SourceConnector source, ReadRequest request) {
        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = source.read(request)) {
            RowBatch batch;
            while ((batch = stream.nextBatch()) != null) {
                rows.addAll(batch.rows());
            }
        }
        List<SourceRow> timed = rows.stream().filter(r -> r.updatedAt() != null).toList();
        assertThat(timed).as("UPDATED_AT order").extracting(SourceRow::updatedAt).isSorted();
        for (SourceRow row : timed) {
            if (request.from() != null) {
                assertThat(row.updatedAt()).as("row %s against from", idOf(row)).isAfterOrEqualTo(request.from());
            }
            if (filtersUntil()) {
                assertThat(row.updatedAt()).as("row %s against until", idOf(row)).isBeforeOrEqualTo(request.until());
            }
        }
        return filtersUntil() ? rows : rows.stream().filter(r -> r.updatedAt() == null || !r.updatedAt().isAfter(request.until())).toList();
    }

    private List<String> ids(SourceConnector source, Instant from, Instant until) {
        return readAll(source, new ReadRequest(from, until, 3)).stream().filter(r -> r.updatedAt() != null).map(this::idOf).toList();
    }

    private void assertPayloads(List<SourceRow> read, List<ContractRow> rows) {
        for (SourceRow row : read) {
            ContractRow expected = rows.stream().filter(r -> r.id().equals(idOf(row))).findFirst().orElseThrow();
            assertThat(row.updatedAt()).as("UPDATED_AT of %s", expected.id()).isEqualTo(expected.updatedAt());
            assertThat(Payloads.json(row.payload())).as("payload of %s", expected.id()).isEqualTo(Payloads.json(expected.payload()));
        }
    }

    /** Reads until the end, a failure or the stream's close; the number of rows read. */
    private static int drainUntilClosed(RowStream stream) {
        int rows = 0;
        try {
            RowBatch batch;
            while ((batch = stream.nextBatch()) != null) {
                rows += batch.size();
            }
        } catch (RuntimeException closed) {
            // what nextBatch does on a closed stream is the connector's choice; it must not hang
        }
        return rows;
    }
}
