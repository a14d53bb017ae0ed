package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SqliteCursorTest {

    private static final Duration SAFETY_NET = Duration.ofMinutes(1);
    private static final String ENDLESS_AFTER_FIRST_ROW =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c WHERE x = 1 OR x < 0";

    @TempDir
    Path dir;
    SqliteConnectionFactory factory;

    @AfterEach
    void close() {
        if (factory != null) {
            factory.close();
        }
    }

    private void open(String options) {
        factory = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite://" + dir.resolve("cursor.db") + options);
    }

    @Test
    void aMillionRowSelectConsumedSlowlyReadsOnlyWhatWasAskedFor() {
        open("");
        int total = 1_000_000;
        SqliteTestSupport.run(factory, "CREATE TABLE big (id INTEGER PRIMARY KEY, payload TEXT)",
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT " + total + ") "
                + "INSERT INTO big SELECT x, printf('row-%07d-%s', x, hex(randomblob(16))) FROM c");
        long readBefore = factory.rowsRead();

        Connection connection = factory.create().block();
        int batch = 500;
        // concatMap passes the consumer's demand through unchanged (flatMap would prefetch 32 rows).
        Flux<Long> ids = Flux.from(connection.createStatement("SELECT id, payload FROM big ORDER BY id").execute())
            .concatMap(result -> result.map(row -> row.get("id", Long.class)));

        StepVerifier.Step<Long> slowConsumer = StepVerifier.create(ids, batch);
        long requested = batch;
        long received = 0;
        while (received < total) {
            long holding = Math.min(requested, total);
            slowConsumer = slowConsumer.expectNextSequence(ids(received + 1, holding))
                // The consumer holds everything it asked for: the cursor must not have read further.
                .then(() -> assertThat(factory.rowsRead() - readBefore - holding)
                    .as("rows read ahead of %d received", holding)
                    .isLessThanOrEqualTo(Execution.ROWS_READ_AT_EXECUTION));
            received = holding;
            // Slow at first, then faster, so the test stays short.
            long next = requested < 20_000 ? batch : 50 * batch;
            requested += next;
            slowConsumer = slowConsumer.thenRequest(next);
        }
        slowConsumer.expectComplete().verify(SAFETY_NET);
        Mono.from(connection.close()).block();
    }

    @Test
    void cancellingARunningQueryOnTheWriterFreesIt() {
        open("?readers=0");
        SqliteTestSupport.run(factory, "CREATE TABLE t (x INTEGER)");
        Connection querying = factory.create().block();
        Connection other = factory.create().block();

        Disposable running = Flux.from(querying.createStatement(ENDLESS_AFTER_FIRST_ROW).execute())
            .flatMap(result -> result.map(row -> row.get(0)))
            .subscribe();
        awaitRowsRead(1);
        running.dispose();

        // The writer is free again for another connection, and for the one whose query was cancelled.
        StepVerifier.create(SqliteTestSupport.update(other.createStatement("INSERT INTO t VALUES (1)")))
            .expectNext(1L)
            .expectComplete()
            .verify(SAFETY_NET);
        StepVerifier.create(SqliteTestSupport.queryLong(querying, "SELECT count(*) FROM t"))
            .expectNext(1L)
            .expectComplete()
            .verify(SAFETY_NET);
        Mono.from(querying.close()).then(Mono.from(other.close())).block();
    }

    @Test
    void cancellingARunningQueryOnAReaderReturnsTheReader() {
        open("?readers=1");
        SqliteTestSupport.run(factory, "CREATE TABLE t (x INTEGER)");
        Connection connection = factory.create().block();
        SqliteEngine engine = ((SqliteConnection) connection).engine();

        Disposable running = Flux.from(connection.createStatement(ENDLESS_AFTER_FIRST_ROW).execute())
            .flatMap(result -> result.map(row -> row.get(0)))
            .subscribe();
        awaitRowsRead(1);
        assertThat(engine.tryAcquireReader()).as("the only reader is busy").isNull();
        running.dispose();

        awaitReaderFree(engine);
        StepVerifier.create(SqliteTestSupport.queryLong(connection, "SELECT count(*) FROM t"))
            .expectNext(0L)
            .expectComplete()
            .verify(SAFETY_NET);
        Mono.from(connection.close()).block();
    }

    @Test
    void takingFewRowsOfAnOpenCursorClosesItAndFreesTheReader() {
        open("?readers=1");
        SqliteTestSupport.run(factory, "CREATE TABLE t (x INTEGER)",
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 10000) INSERT INTO t SELECT x FROM c");
        Connection connection = factory.create().block();
        SqliteEngine engine = ((SqliteConnection) connection).engine();

        StepVerifier.create(Flux.from(connection.createStatement("SELECT x FROM t ORDER BY x").execute())
                .flatMap(result -> result.map(row -> row.get(0, Integer.class)))
                .take(5))
            .expectNext(1, 2, 3, 4, 5)
            .verifyComplete();
        awaitReaderFree(engine);

        // A result nobody consumes does not keep its reader after the connection closes.
        Result unconsumed = Flux.from(connection.createStatement("SELECT x FROM t").execute()).blockFirst();
        assertThat(unconsumed).isNotNull();
        Mono.from(connection.close()).block();
        awaitReaderFree(engine);
    }

    private static Iterable<Long> ids(long fromInclusive, long toInclusive) {
        return () -> LongStream.rangeClosed(fromInclusive, toInclusive).boxed().iterator();
    }

    private void awaitRowsRead(long rows) {
        await("query started").atMost(SAFETY_NET).pollInterval(Duration.ofMillis(1)).until(() -> factory.rowsRead() >= rows);
    }

    private static void awaitReaderFree(SqliteEngine engine) {
        DbWorker reader = await("reader released").atMost(SAFETY_NET).pollInterval(Duration.ofMillis(1))
            .until(engine::tryAcquireReader, Objects::nonNull);
        engine.releaseReader(reader);
    }
}
