package org.wikimedia.spiderpig.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.line;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.range;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Two servers on one PostgreSQL database: a job's log written through one is followed through the other, live,
 * every event once and in order, also when notices were lost while the other's connection that listens was down.
 */
class CrossInstanceEventLogTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    static PostgresLogSchema schema;
    final Scheduler io = Schedulers.newBoundedElastic(4, 100_000, "event-log-db-test");
    final Scheduler delivery = Schedulers.newParallel("event-log-delivery-test", 2);
    final List<AutoCloseable> closing = new ArrayList<>();
    PostgresLogSchema.Server bServer;
    SharedJobEventLogs a;
    SharedJobEventLogs b;

    @BeforeAll
    static void createDatabase() {
        schema = PostgresLogSchema.create();
    }

    @AfterAll
    static void dropDatabase() {
        if (schema != null) {
            schema.close();
        }
    }

    @BeforeEach
    void startTwoServers() {
        schema.empty();
        a = server(schema.server("a"));
        bServer = schema.server("b");
        b = server(bServer);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        io.dispose();
        delivery.dispose();
    }

    private SharedJobEventLogs server(PostgresLogSchema.Server server) {
        closing.add(server);
        SharedJobEventLogs logs = new SharedJobEventLogs(server.logs(), io, delivery, Clock.systemUTC(),
                EventLogSettings.defaults());
        closing.add(logs);
        return logs;
    }

    @Test
    void aJobWrittenOnOneServerIsFollowedLiveOnTheOtherFromAnywhere() {
        JobEventLog writer = a.forJob(7);
        writer.append(line("before anyone follows")).block(DEADLINE);
        JobEventLog reader = b.open(7).block(DEADLINE);
        Mono<List<Long>> fromStart = reader.follow(0).map(JobEvent::seq).collectList().cache();
        Mono<List<Long>> fromOne = reader.follow(1).map(JobEvent::seq).collectList().cache();
        fromStart.subscribe();
        fromOne.subscribe();

        Mono<JobEvent> last = null;
        for (int i = 0; i < 2_000; i++) {
            last = writer.append(line("line " + i));
            if (i == 1_000) {
                last.block(DEADLINE);
            }
        }
        // B learns of A's rows by notice: wait until it has some, so that following from there starts mid-way
        await().atMost(DEADLINE).until(() -> reader.lastSeq() > 1);
        long halfway = reader.lastSeq();
        Mono<List<Long>> fromMiddle = reader.follow(halfway).map(JobEvent::seq).collectList().cache();
        fromMiddle.subscribe();
        last.block(DEADLINE);
        long endSeq = writer.append(new JobEnded(JobState.SUCCEEDED, 0)).block(DEADLINE).seq();

        assertThat(fromStart.block(DEADLINE)).isEqualTo(range(1, endSeq));
        assertThat(fromOne.block(DEADLINE)).isEqualTo(range(2, endSeq));
        assertThat(fromMiddle.block(DEADLINE)).isEqualTo(range(halfway + 1, endSeq));
        assertThat(halfway).isGreaterThan(1);
        assertThat(reader.lineCount()).isEqualTo(2_001);
        assertThat(reader.lines(1_990, 1_993).map(event -> ((OutputLine) event.payload()).text()).collectList()
                .block(DEADLINE)).containsExactly("line 1988", "line 1989", "line 1990");
    }

    @Test
    void eventsStoredWhileAServerWasNotListeningReachItsFollowersOnceItListensAgain() {
        JobEventLog writer = a.forJob(8);
        writer.append(line("first")).block(DEADLINE);
        JobEventLog reader = b.open(8).block(DEADLINE);
        Mono<List<Long>> followed = reader.follow(0).map(JobEvent::seq).collectList().cache();
        followed.subscribe();
        for (int i = 0; i < 50; i++) {
            writer.append(line("heard " + i));
        }
        writer.append(line("heard last")).block(DEADLINE);

        deafenB();
        // Every notice of these, the end's included, is lost for b.
        for (int i = 0; i < 50; i++) {
            writer.append(line("unheard " + i));
        }
        long endSeq = writer.append(new JobEnded(JobState.SUCCEEDED, 0)).block(DEADLINE).seq();
        bServer.refuseListening().set(false);

        assertThat(followed.block(DEADLINE)).isEqualTo(range(1, endSeq));
    }

    /**
     * Two servers append to one job's log (a job's output on the server that runs it, an answer through another),
     * one of them not yet knowing of the other's latest rows: the late one's events go after them, and nothing
     * either stored is lost.
     */
    @Test
    void aServerThatAppendsWithoutKnowingTheOthersLatestEventsAppendsAfterThem() {
        JobEventLog runs = a.forJob(9);
        runs.append(line("first")).block(DEADLINE);
        JobEventLog answers = b.open(9).block(DEADLINE);
        assertThat(answers.lastSeq()).isEqualTo(1);
        deafenB();
        for (int i = 2; i <= 5; i++) {
            runs.append(line("line " + i)).block(DEADLINE);
        }

        JobEvent answered = answers.append(line("answered through b")).block(DEADLINE);
        JobEvent next = runs.append(line("after the answer")).block(DEADLINE);
        bServer.refuseListening().set(false);

        assertThat(answered.seq()).isEqualTo(6);
        assertThat(((OutputLine) answered.payload()).line()).isEqualTo(6);
        assertThat(next.seq()).isEqualTo(7);
        List<String> stored = c().open(9).flatMapMany(log -> log.follow(0).take(7))
                .map(event -> ((OutputLine) event.payload()).text()).collectList().block(DEADLINE);
        assertThat(stored).containsExactly("first", "line 2", "line 3", "line 4", "line 5", "answered through b",
                "after the answer");
    }

    /** A third server that opens the logs fresh, to read what is stored. */
    private SharedJobEventLogs c() {
        return server(schema.server("c"));
    }

    /** B's connection that listens is ended and may not come back: b hears of no one's rows until allowed. */
    private void deafenB() {
        bServer.refuseListening().set(true);
        schema.admin().sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1")
                .bind(0, "b-listening").fetch().all().then().block(DEADLINE);
        await("b's listening connection is gone").atMost(DEADLINE).pollInterval(Duration.ofMillis(50))
                .until(() -> schema.admin().sql("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1")
                        .bind(0, "b-listening").map(row -> row.get(0, Long.class)).one().block(DEADLINE) == 0);
    }

    @Test
    void theOtherServerReadsWhatANoticeToldOfOnceIntoItsRingForAllItsFollowers() {
        JobEventLog writer = a.forJob(9);
        writer.append(line("first")).block(DEADLINE);
        StoredJobEventLog reader = (StoredJobEventLog) b.open(9).block(DEADLINE);
        List<Mono<List<Long>>> followers = new ArrayList<>();
        // Not ended: an ended log's ring shrinks to a small budget.
        for (int i = 0; i < 20; i++) {
            Mono<List<Long>> followed = reader.follow(1).take(300).map(JobEvent::seq).collectList().cache();
            followed.subscribe();
            followers.add(followed);
        }
        Mono<JobEvent> last = null;
        for (int i = 0; i < 300; i++) {
            last = writer.append(line("line " + i));
        }
        long lastSeq = last.block(DEADLINE).seq();

        for (Mono<List<Long>> followed : followers) {
            assertThat(followed.block(DEADLINE)).isEqualTo(range(2, lastSeq));
        }
        // Read once by the log, not by each follower: from its ring, B's followers needed no read of their own.
        assertThat(reader.fromRing(2, lastSeq)).extracting(JobEvent::seq).isEqualTo(range(2, lastSeq));
        assertThat(reader.lineCount()).isEqualTo(301);
    }
}
