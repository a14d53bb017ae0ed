package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteConcurrencyTest {

    private static final Duration SAFETY_NET = Duration.ofMinutes(1);

    @TempDir
    Path dir;
    SqliteConnectionFactory factory;

    @BeforeEach
    void open() {
        factory = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite://" + dir.resolve("c.db"));
        SqliteTestSupport.run(factory, "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
            "INSERT INTO counter VALUES (1, 0)", "CREATE TABLE log (writer INTEGER, i INTEGER)");
    }

    @AfterEach
    void close() {
        factory.close();
    }

    @Test
    void sixteenConcurrentWritersLoseNoUpdateAndSeeNoBusy() {
        int writers = 16;
        int rounds = 25;
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Flux.range(0, writers)
            .flatMap(writer -> Mono.usingWhen(factory.create(),
                connection -> Flux.range(0, rounds)
                    .concatMap(i -> incrementInTransaction(connection)
                        .then(SqliteTestSupport.update(connection.createStatement(
                            "INSERT INTO log VALUES (?1, ?2)").bind(0, writer).bind(1, i))))
                    .then(),
                Connection::close), writers)
            .doOnError(errors::add)
            .then()
            .as(StepVerifier::create)
            .expectComplete()
            .verify(SAFETY_NET);

        assertThat(errors).isEmpty();
        assertThat(SqliteTestSupport.queryLong(factory, "SELECT n FROM counter")).isEqualTo((long) writers * rounds);
        assertThat(SqliteTestSupport.queryLong(factory, "SELECT count(*) FROM log")).isEqualTo((long) writers * rounds);
    }

    /** Read-modify-write: loses updates unless transactions are serialized. */
    private static Mono<Void> incrementInTransaction(Connection connection) {
        return Mono.from(connection.beginTransaction())
            .then(Mono.from(connection.createStatement("SELECT n FROM counter WHERE id = 1").execute())
                .flatMap(result -> Mono.from(result.map(row -> row.get(0, Long.class)))))
            .flatMap(n -> SqliteTestSupport.update(connection.createStatement("UPDATE counter SET n = ?1 WHERE id = 1")
                .bind(0, n + 1)))
            .then(Mono.from(connection.commitTransaction()));
    }

    @Test
    void readersKeepReadingDuringALongWriteTransaction() {
        Connection writer = factory.create().block();
        Connection reader = factory.create().block();
        try {
            StepVerifier.create(Mono.from(writer.beginTransaction())
                    .then(SqliteTestSupport.update(writer.createStatement("INSERT INTO log VALUES (1, 1)"))))
                .expectNext(1L)
                .verifyComplete();

            // The write transaction stays open while the other connection reads, many times, the committed state.
            for (int i = 0; i < 20; i++) {
                StepVerifier.create(SqliteTestSupport.queryLong(reader, "SELECT count(*) FROM log"))
                    .expectNext(0L)
                    .expectComplete()
                    .verify(SAFETY_NET);
            }

            StepVerifier.create(Mono.from(writer.commitTransaction())).expectComplete().verify(SAFETY_NET);
            StepVerifier.create(SqliteTestSupport.queryLong(reader, "SELECT count(*) FROM log"))
                .expectNext(1L)
                .verifyComplete();
        } finally {
            Mono.from(writer.close()).block();
            Mono.from(reader.close()).block();
        }
    }

    @Test
    void concurrentQueriesQueueForFewReaders() {
        SqliteConnectionFactory oneReader = (SqliteConnectionFactory) ConnectionFactories.get(
            "r2dbc:sqlite://" + dir.resolve("c.db") + "?readers=1");
        try {
            Flux.range(0, 16)
                .flatMap(client -> Mono.usingWhen(oneReader.create(),
                    connection -> Flux.range(0, 50)
                        .concatMap(i -> Flux.from(connection.createStatement("SELECT ?1 + n FROM counter")
                                .bind(0, i).execute())
                            .concatMap(result -> result.map(row -> row.get(0, Integer.class)))
                            .single()
                            .doOnNext(sum -> assertThat(sum).isEqualTo(i)))
                        .count(),
                    Connection::close), 16)
                .reduce(0L, Long::sum)
                .as(StepVerifier::create)
                .expectNext(16L * 50)
                .expectComplete()
                .verify(SAFETY_NET);
        } finally {
            oneReader.close();
        }
    }

    @Test
    void aConnectionSeesItsOwnCommittedWritesFromTheReaders() {
        Connection connection = factory.create().block();
        try {
            for (int i = 1; i <= 20; i++) {
                StepVerifier.create(SqliteTestSupport.update(connection.createStatement("UPDATE counter SET n = ?1")
                        .bind(0, i))
                    .then(SqliteTestSupport.queryLong(connection, "SELECT n FROM counter")))
                    .expectNext((long) i)
                    .verifyComplete();
            }
        } finally {
            Mono.from(connection.close()).block();
        }
    }
}
