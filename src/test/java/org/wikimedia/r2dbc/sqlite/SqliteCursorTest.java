package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

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
    void aMillionRowSelectConsumedSlowlyReadsOnlyWhatWasAskedFor() throws InterruptedException {
        open("");
        int total = 1_000_000;
        SqliteTestSupport.run(factory, "CREATE TABLE big (id INTEGER PRIMARY KEY, payload TEXT)",
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT " + total + ") "
                + "INSERT INTO big SELECT x, printf('row-%07d-%s', x, hex(randomblob(16))) FROM c");
        long readBefore = factory.rowsRead();

        Connection connection = factory.create().block();
        BlockingQueue<Long> batches = new LinkedBlockingQueue<>();
        AtomicLong received = new AtomicLong();
        AtomicLong lastId = new AtomicLong();
        int batch = 500;
        BaseSubscriber<Long> slowConsumer = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(batch);
            }

            @Override
            protected void hookOnNext(Long id) {
                assertThat(id).isEqualTo(lastId.get() + 1);
                lastId.set(id);
                if (received.incrementAndGet() % batch == 0) {
                    batches.add(received.get());
                }
            }

            @Override
            protected void hookOnComplete() {
                batches.add(-1L);
            }

            @Override
            protected void hookOnError(Throwable throwable) {
                batches.add(-2L);
            }
        };
        // concatMap passes the consumer's demand through unchanged (flatMap would prefetch 32 rows).
        Flux.from(connection.createStatement("SELECT id, payload FROM big ORDER BY id").execute())
            .concatMap(result -> result.map(row -> row.get("id", Long.class)))
            .subscribe(slowConsumer);

        long requested = batch;
        long maxAhead = 0;
        while (true) {
            Long got = batches.poll(SAFETY_NET.toSeconds(), TimeUnit.SECONDS);
            assertThat(got).as("next batch arrived").isNotNull();
            if (got < 0) {
                assertThat(got).as("completed without error").isEqualTo(-1L);
                break;
            }
            // The consumer holds everything it asked for: the cursor must not have read further.
            long ahead = factory.rowsRead() - readBefore - received.get();
            maxAhead = Math.max(maxAhead, ahead);
            assertThat(ahead).isLessThanOrEqualTo(Execution.ROWS_READ_AT_EXECUTION);
            // Slow at first, then faster, so the test stays short.
            long next = requested < 20_000 ? batch : 50 * batch;
            requested += next;
            slowConsumer.request(next);
        }
        assertThat(received.get()).isEqualTo(total);
        assertThat(maxAhead).isLessThanOrEqualTo(Execution.ROWS_READ_AT_EXECUTION);
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

    private void awaitRowsRead(long rows) {
        long deadline = System.nanoTime() + SAFETY_NET.toNanos();
        while (factory.rowsRead() < rows) {
            assertThat(System.nanoTime()).as("query started").isLessThan(deadline);
            Thread.yield();
        }
    }

    private static void awaitReaderFree(SqliteEngine engine) {
        long deadline = System.nanoTime() + SAFETY_NET.toNanos();
        DbWorker reader;
        while ((reader = engine.tryAcquireReader()) == null) {
            assertThat(System.nanoTime()).as("reader released").isLessThan(deadline);
            Thread.yield();
        }
        engine.releaseReader(reader);
    }
}
