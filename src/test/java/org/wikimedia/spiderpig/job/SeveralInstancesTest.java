package org.wikimedia.spiderpig.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaType;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.store.InstanceStore;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobCommandStore;
import org.wikimedia.spiderpig.store.JobCommandStore.JobCommand;
import org.wikimedia.spiderpig.store.JobOwnerStore;
import org.wikimedia.spiderpig.store.JobOwnerStore.JobOwner;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.store.JobStore.NewJob;
import org.wikimedia.spiderpig.store.QueueLeaseStore;
import org.wikimedia.spiderpig.support.InProcessServer;
import org.wikimedia.spiderpig.support.PostgresTestDatabase;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * Several server instances on one database: another instance's job (a row in the shared tables written as that
 * instance would), its commands, its host going silent; and, on PostgreSQL, two whole servers sharing one queue.
 */
class SeveralInstancesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String GROUP = "deploy";

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aJobWhoseHostStoppedAnsweringIsInterruptedWithTheReasonAndTheQueueMovesOn(String dialect) {
        try (OneServer one = OneServer.on(dialect, "--spiderpig.instance.lease-ttl=1s")) {
            InProcessServer server = one.server();
            Instant now = Instant.now();
            // The other instance: silent for a minute, its lease still valid for a few seconds.
            server.bean(InstanceStore.class).beat("ghost-1", "ghost-host", now.minusSeconds(120), now.minusSeconds(60))
                    .block(TIMEOUT);
            server.bean(QueueLeaseStore.class).hold(GROUP, "ghost-1", now.plusSeconds(3)).block(TIMEOUT);
            long ghostJob = ghostJob(server, "ghost-1", "ghost-host");

            long next = server.api().start("waiter", Map.of()).get("id").asLong();
            assertThat(server.api().job(next).get("state").asString()).isEqualTo("queued");

            JsonNode interrupted = server.api().awaitState(ghostJob, "interrupted");
            assertThat(interrupted.get("reason").asString()).isEqualTo("its host ghost-host stopped answering at "
                    + Instant.ofEpochMilli(now.minusSeconds(60).toEpochMilli()));
            JsonNode prompt = server.api().awaitPrompt(next);
            server.api().answer(next, prompt.get("id").asLong(), "y").expectStatus().isOk();
            server.api().awaitState(next, "succeeded");
            assertThat(server.bean(JobOwnerStore.class).of(next).block(TIMEOUT).instanceId())
                    .isEqualTo(server.bean(ThisInstance.class).id());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aJobAcceptedOnAnotherHostStartsThereWhileThatHostAnswersAndHereOnceItStopped(String dialect) {
        try (OneServer one = OneServer.on(dialect, "--spiderpig.instance.lease-ttl=1s")) {
            InProcessServer server = one.server();
            Instant answersUntil = Instant.now().plusSeconds(10);
            // The other host's last heartbeat counts for ten seconds more (a lease's time to live after it).
            server.bean(InstanceStore.class).beat("ghost-1", "ghost-host", Instant.now(), answersUntil.minusSeconds(1))
                    .block(TIMEOUT);
            JobStore jobs = server.bean(JobStore.class);
            long accepted = jobs.create(new NewJob("waiter", Map.of(), "Waiter", "alice", GROUP, Instant.now()))
                    .block(TIMEOUT).id();
            server.bean(JobOwnerStore.class).accepted(accepted, "ghost-host").block(TIMEOUT);

            server.bean(InstanceHeartbeat.class).beat().block(TIMEOUT);
            assertThat(Instant.now()).as("the beat came while the other host answered").isBefore(answersUntil);
            assertThat(server.api().job(accepted).get("state").asString()).as("left to its host").isEqualTo("queued");

            JsonNode prompt = server.api().awaitPrompt(accepted);
            assertThat(Instant.now()).as("taken over once the host stopped answering").isAfter(answersUntil);
            assertThat(server.bean(JobOwnerStore.class).of(accepted).block(TIMEOUT))
                    .isEqualTo(server.bean(ThisInstance.class).asOwner());
            server.api().answer(accepted, prompt.get("id").asLong(), "y").expectStatus().isOk();
            server.api().awaitState(accepted, "succeeded");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void answersCancelsAndSignalsForAnotherInstancesJobArePassedOnToIt(String dialect) {
        try (OneServer one = OneServer.on(dialect)) {
            InProcessServer server = one.server();
            Instant now = Instant.now();
            server.bean(InstanceStore.class).beat("other-1", "other-host", now, now.plusSeconds(600)).block(TIMEOUT);
            server.bean(QueueLeaseStore.class).hold(GROUP, "other-1", now.plusSeconds(600)).block(TIMEOUT);
            long job = ghostJob(server, "other-1", "other-host");
            Interaction prompt = server.bean(InteractionStore.class)
                    .open(job, Interaction.CHOICES, "Proceed?", Map.of("Yes", "y", "No", "n"), "n", now).block(TIMEOUT);

            server.api().answer(job, prompt.id(), "y").expectStatus().isOk();
            server.api().answer(job, prompt.id(), "n").expectStatus().isEqualTo(409);
            server.api().client().post().uri("/api/jobs/{id}/signal", job).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("signal", "interrupt")).exchange().expectStatus().is2xxSuccessful();
            server.api().client().post().uri("/api/jobs/{id}/cancel", job).exchange().expectStatus().is2xxSuccessful();

            List<JobCommand> passedOn = server.bean(JobCommandStore.class).pending(List.of(job)).collectList().block(TIMEOUT);
            assertThat(passedOn).extracting(JobCommand::kind).containsExactly("answer", "signal", "cancel");
            assertThat(passedOn.get(0).payload())
                    .isEqualTo(Map.of("interaction", Long.toString(prompt.id()), "response", "y"));
            assertThat(passedOn.get(1).payload()).containsEntry("signal", "interrupt");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aCommandAnotherInstanceAddedReachesTheJobRunningHereOnce(String dialect) {
        try (OneServer one = OneServer.on(dialect)) {
            InProcessServer server = one.server();
            long job = server.api().start("waiter", Map.of()).get("id").asLong();
            JsonNode prompt = server.api().awaitPrompt(job);
            long promptId = prompt.get("id").asLong();
            Instant now = Instant.now();
            // What the other instance does on an answer: the conditional write, then the command.
            assertThat(server.bean(InteractionStore.class).answer(promptId, "y", "bob", now).block(TIMEOUT)).isTrue();
            JobCommandStore commands = server.bean(JobCommandStore.class);
            commands.add(job, "answer", Map.of("interaction", Long.toString(promptId), "response", "y"), now).block(TIMEOUT);
            commands.add(job, "answer", Map.of("interaction", Long.toString(promptId), "response", "y"), now).block(TIMEOUT);

            server.api().awaitState(job, "succeeded");
            String log = server.api().client().get().uri("/api/jobs/{id}/log.txt", job).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            assertThat(log.lines().filter(line -> line.contains("answered y"))).hasSize(1);
            assertThat(commands.pending(List.of(job)).collectList().block(TIMEOUT)).isEmpty();

            long cancelled = server.api().start("waiter", Map.of()).get("id").asLong();
            server.api().awaitPrompt(cancelled);
            commands.add(cancelled, "cancel", Map.of("by", "carol"), Instant.now()).block(TIMEOUT);
            assertThat(server.api().awaitState(cancelled, "cancelled").get("cancelledBy").asString()).isEqualTo("carol");
        }
    }

    @Test
    void onPostgresqlACommandWakesTheInstanceRunningTheJobWithoutWaitingForItsPoll() {
        // A poll too rare to be what carries the command out within the test's deadline.
        try (OneServer one = OneServer.on("postgresql", "--spiderpig.instance.command-poll=1h")) {
            InProcessServer server = one.server();
            long job = server.api().start("waiter", Map.of()).get("id").asLong();
            long promptId = server.api().awaitPrompt(job).get("id").asLong();
            Instant now = Instant.now();
            assertThat(server.bean(InteractionStore.class).answer(promptId, "y", "bob", now).block(TIMEOUT)).isTrue();
            server.bean(JobCommandStore.class)
                    .add(job, "answer", Map.of("interaction", Long.toString(promptId), "response", "y"), now)
                    .block(TIMEOUT);

            server.api().awaitState(job, "succeeded");
        }
    }

    @Test
    void twoServersOnOnePostgresDatabaseShareOneQueueAndPassAnswersOn() {
        assumePostgresMigrations();
        Path dataA = TestScripts.tempDirectory("spiderpig-cluster-a");
        Path dataB = TestScripts.tempDirectory("spiderpig-cluster-b");
        try (PostgresTestDatabase database = PostgresTestDatabase.create();
             InProcessServer a = InProcessServer.start(dataA, withDatabase(database, settings(dataA, "--spiderpig.instance.host=host-a")));
             InProcessServer b = InProcessServer.start(dataB, withDatabase(database, settings(dataB, "--spiderpig.instance.host=host-b")))) {
            long first = a.api().start("waiter", Map.of()).get("id").asLong();
            long firstPrompt = a.api().awaitPrompt(first).get("id").asLong();
            long second = b.api().start("waiter", Map.of()).get("id").asLong();
            b.bean(InstanceHeartbeat.class).beat().block(TIMEOUT);
            assertThat(b.api().job(second).get("state").asString()).as("queued behind A's job").isEqualTo("queued");

            // Raced through both: one answer wins, and it reaches the job on A.
            int[] statuses = Stream.of(a, b).parallel()
                    .mapToInt(server -> server.api().answer(first, firstPrompt, "y").returnResult(String.class)
                            .getStatus().value())
                    .sorted().toArray();
            assertThat(statuses).containsExactly(200, 409);
            b.api().awaitState(first, "succeeded");

            // The second job runs where it was accepted, on B, whichever instance looked at the queue first;
            // it is cancelled through A.
            b.api().awaitPrompt(second);
            assertThat(a.bean(JobOwnerStore.class).of(second).block(TIMEOUT).instanceId())
                    .isEqualTo(b.bean(ThisInstance.class).id());
            a.api().client().post().uri("/api/jobs/{id}/cancel", second).exchange().expectStatus().is2xxSuccessful();
            assertThat(a.api().awaitState(second, "cancelled").get("cancelledBy").asString()).isNotEmpty();
        }
    }

    /** One server on SQLite (its data directory) or on a fresh PostgreSQL database. */
    private record OneServer(InProcessServer server, PostgresTestDatabase database) implements AutoCloseable {

        static OneServer on(String dialect, String... more) {
            Path data = TestScripts.tempDirectory("spiderpig-cluster");
            if (dialect.equals("sqlite")) {
                return new OneServer(InProcessServer.start(data, settings(data, more)), null);
            }
            assumePostgresMigrations();
            PostgresTestDatabase database = PostgresTestDatabase.create();
            try {
                return new OneServer(InProcessServer.start(data, withDatabase(database, settings(data, more))), database);
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                if (database != null) {
                    database.close();
                }
            }
        }
    }

    private static long ghostJob(InProcessServer server, String instance, String host) {
        JobStore jobs = server.bean(JobStore.class);
        long id = jobs.create(new NewJob("waiter", Map.of(), "Waiter", "alice", GROUP, Instant.now())).block(TIMEOUT).id();
        jobs.markStarted(id, Instant.now()).block(TIMEOUT);
        server.bean(JobOwnerStore.class).record(id, new JobOwner(instance, host)).block(TIMEOUT);
        assertThat(jobs.find(id).block(TIMEOUT).state()).isEqualTo(JobState.RUNNING);
        return id;
    }

    private static String[] settings(Path data, String... more) {
        Path script = TestScripts.write(data.resolve("scripts"), "waiter.sh", """
                echo "waiting"
                printf "Proceed? [y/N] "
                read -r answer
                echo "answered $answer"
                """);
        List<String> arguments = new ArrayList<>(List.of(
                "--spiderpig.jobs.waiter.command=" + script,
                "--spiderpig.jobs.waiter.validator=none",
                "--spiderpig.jobs.waiter.concurrency-group=" + GROUP,
                "--spiderpig.instance.heartbeat=200ms",
                "--spiderpig.retention.enabled=false"));
        arguments.addAll(List.of(more));
        return arguments.toArray(String[]::new);
    }

    private static String[] withDatabase(PostgresTestDatabase database, String[] settings) {
        return Stream.concat(Stream.of(settings), Stream.of(database.serverArguments())).toArray(String[]::new);
    }

    /** Until the PostgreSQL stores' scripts (V1 to V7) are merged, a whole server cannot run on PostgreSQL here. */
    private static void assumePostgresMigrations() {
        try {
            assumeTrue(new PathMatchingResourcePatternResolver()
                            .getResources("classpath*:db/migration/postgresql/V*.sql").length >= 8,
                    "the PostgreSQL stores' migrations are not on this branch yet");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
