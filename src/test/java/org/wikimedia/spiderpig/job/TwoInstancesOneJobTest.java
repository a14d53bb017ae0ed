package org.wikimedia.spiderpig.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.LeftoverJobs;
import org.wikimedia.spiderpig.support.PostgresTestDatabase;
import org.wikimedia.spiderpig.support.Processes;
import org.wikimedia.spiderpig.support.ServerProcess;
import org.wikimedia.spiderpig.support.StreamFollower;
import org.wikimedia.spiderpig.support.StreamFollower.Event;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * Two whole servers, each a process of its own with its own data directory and host, on one PostgreSQL
 * database. The job is started through A and runs there (where it was accepted, even when B's heartbeat looks at
 * the queue first). It is followed through A and B at once, its first
 * prompt answered through B, its second through both at once (one answer wins), A is killed (SIGKILL) while the job runs on under its supervisor (A's viewer resumes on
 * B, as behind a proxy) and started again on the same data directory and host, where it re-attaches the job.
 * Every viewer sees every event once, in order, to the job's real end.
 */
class TwoInstancesOneJobTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    /** Lines before the first prompt, up to the second, and after the second's answer before A is killed. */
    private static final int BEFORE_PROMPT = 30;
    private static final int SECOND_PROMPT = BEFORE_PROMPT + 10;
    private static final int BEFORE_KILL = 20;
    private static final int EXIT_CODE = 3;
    /** Three server starts are most of this test's time: C1 only and the serial collector start quicker. */
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

    private Path dataA = TestScripts.tempDirectory("spiderpig-two-a");
    private Path dataB = TestScripts.tempDirectory("spiderpig-two-b");
    private String hostA = "host-a";
    private String hostB = "host-b";
    private final List<AutoCloseable> closing = new ArrayList<>();
    private PostgresTestDatabase database;
    private ServerProcess a;
    private ServerProcess b;

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable each : closing) {
            each.close();
        }
        Stream.of(a, b).filter(server -> server != null).forEach(ServerProcess::kill);
        LeftoverJobs.endAll(dataA);
        LeftoverJobs.endAll(dataB);
        if (database != null) {
            database.close();
        }
    }

    @Test
    void viewersOnBothInstancesSeeEveryEventOnceInOrderAcrossAnAnswerRaceAndAKillAndRestartOfTheJobsInstance()
            throws Exception {
        database = PostgresTestDatabase.create();
        Path release = dataA.resolve("release");
        // Numbered lines at a steady 20 a second, two prompts, then lines until the test releases the command.
        // Input after the answers is echoed, so an answer delivered twice would show.
        Path script = TestScripts.write(dataA.resolve("scripts"), "steady.sh", """
                for i in $(seq 1 %1$d); do echo "line $i"; sleep 0.05; done
                printf "Proceed? [y/N] "
                read -r answer
                echo "the command read $answer"
                for i in $(seq %2$d %3$d); do echo "line $i"; sleep 0.05; done
                printf "Really proceed? [y/N] "
                read -r answer
                echo "the command read $answer"
                i=%3$d
                until [ -e %4$s ]; do
                  i=$((i + 1)); echo "line $i"
                  if read -r -t 0.01 again; then echo "stdin again: $again"; fi
                  sleep 0.04
                done
                echo "released after line $i"
                exit %5$d
                """.formatted(BEFORE_PROMPT, BEFORE_PROMPT + 1, SECOND_PROMPT, release, EXIT_CODE));

        CompletableFuture<ServerProcess> startingB = CompletableFuture.supplyAsync(
                () -> ServerProcess.start(dataB, QUICK_START, settings(script, hostB)));
        a = ServerProcess.start(dataA, QUICK_START, settings(script, hostA));
        b = startingB.get(4, TimeUnit.MINUTES);

        long id = a.api().start("steady", Map.of()).get("id").asLong();
        await("the job's supervisor started").atMost(DEADLINE)
                .until(() -> Files.exists(started(dataA, id)) || Files.exists(started(dataB, id)));
        assertThat(Files.exists(started(dataA, id))).as("the job runs where it was accepted, on A").isTrue();
        StreamFollower onA = follow(a.baseUrl(), id);
        StreamFollower onB = follow(b.baseUrl(), id);

        // The first prompt answered through B: the answer is passed on to A, which runs the job.
        long first = b.api().awaitPrompt(id).get("id").asLong();
        b.api().answer(id, first, "y").expectStatus().isOk();
        // The second raced through both, with different answers: the one that wins is the one the command reads.
        long second = b.api().awaitJob(id, job -> job.get("pendingInteraction").path("id").asLong(0) > first,
                "the second prompt").get("pendingInteraction").get("id").asLong();
        List<EntityExchangeResult<String>> answers = raceAnswers(id, second, Map.of(a.api(), "y", b.api(), "n"));
        assertThat(answers).extracting(answer -> answer.getStatus().value()).containsExactlyInAnyOrder(200, 409);
        JsonNode refusal = Api.parse(answers.stream().filter(answer -> answer.getStatus().value() == 409)
                .findFirst().orElseThrow().getResponseBody());
        assertThat(refusal.get("type").asString()).endsWith("already-answered");
        String winner = refusal.get("response").asString();
        assertThat(winner).isIn("y", "n");

        int killedAfter = SECOND_PROMPT + BEFORE_KILL;
        awaitLine(onB, killedAfter);
        long pgid = Long.parseLong(Files.readString(started(dataA, id)).strip().substring(3));
        int seenAtKill = lastLineNumber(onB);
        a.kill();
        a = null;
        await("A's viewer lost its stream").atMost(DEADLINE).until(() -> onA.lostBecause() != null);
        assertThat(Processes.running(pgid)).as("the job's command runs on under its supervisor").isTrue();
        assertThat(onB.connected()).as("B's viewer still connected").isTrue();
        // What a browser behind the proxy does when its instance is gone: resume on the other one.
        onA.resumeOn(b.baseUrl());

        a = ServerProcess.start(dataA, QUICK_START, settings(script, hostA));
        StreamFollower onRestartedA = follow(a.baseUrl(), id);
        // Lines past what A had logged before it died: the restarted A re-attached the running command.
        int beforeRelease = seenAtKill + 10;
        awaitLine(onB, beforeRelease);
        awaitLine(onA, beforeRelease);
        awaitLine(onRestartedA, beforeRelease);
        Files.writeString(release, "");

        JsonNode ended = b.api().awaitJob(id, job -> !job.get("finishedAt").isNull(), "ended");
        assertThat(ended.get("state").asString()).isEqualTo("failed");
        assertThat(ended.get("exitCode").asInt()).isEqualTo(EXIT_CODE);
        await("every viewer saw the end").atMost(DEADLINE)
                .until(() -> onA.ended() && onB.ended() && onRestartedA.ended());
        assertThat(Processes.running(pgid)).isFalse();

        assertThat(onB.connections()).as("B's viewer was never cut off").isEqualTo(1);
        assertThat(onA.connections()).isEqualTo(2);
        assertEveryEventOnceInOrder(onB.events(), List.of(first, second), winner);
        assertThat(onA.events()).as("A's viewer, resumed on B, saw what B's saw").isEqualTo(onB.events());
        assertThat(onRestartedA.events()).as("a viewer of the restarted A").isEqualTo(onB.events());
        assertThat(onRestartedA.connections()).isEqualTo(1);
    }

    private static void assertEveryEventOnceInOrder(List<Event> events, List<Long> prompts, String winner) {
        assertThat(events).extracting(Event::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events.get(events.size() - 1).type()).isEqualTo("end");
        assertThat(events.get(events.size() - 1).data().get("exitCode").asInt()).isEqualTo(EXIT_CODE);
        assertThat(events).filteredOn(event -> event.type().equals("interaction-answered"))
                .extracting(event -> event.data().get("interaction").get("id").asLong())
                .containsExactlyElementsOf(prompts);
        List<Event> lines = events.stream().filter(event -> event.type().equals("line")).toList();
        assertThat(lines).extracting(event -> event.data().get("line").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, lines.size()).boxed().toList());
        List<String> texts = lines.stream().map(Event::text).toList();
        List<String> numbered = texts.stream().filter(text -> text.startsWith("line ")).toList();
        assertThat(numbered).containsExactlyElementsOf(
                LongStream.rangeClosed(1, numbered.size()).mapToObj(n -> "line " + n).toList());
        assertThat(numbered.size()).isGreaterThan(SECOND_PROMPT + BEFORE_KILL);
        assertThat(texts).filteredOn(text -> text.contains("the command read"))
                .containsExactly("the command read y", "the command read " + winner);
        assertThat(texts).filteredOn(text -> text.startsWith("stdin again")).isEmpty();
        assertThat(texts).containsSubsequence("line " + BEFORE_PROMPT, "the command read y",
                "line " + (BEFORE_PROMPT + 1), "line " + SECOND_PROMPT, "the command read " + winner,
                "line " + (SECOND_PROMPT + 1), "released after line " + numbered.size());
    }

    /** Each instance's answer at once; the statuses and bodies, in no particular order. */
    private static List<EntityExchangeResult<String>> raceAnswers(long job, long prompt, Map<Api, String> answers)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<EntityExchangeResult<String>>> racing = answers.entrySet().stream()
                .map(answer -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return answer.getKey().answer(job, prompt, answer.getValue()).expectBody(String.class)
                            .returnResult();
                }))
                .toList();
        go.countDown();
        List<EntityExchangeResult<String>> results = new ArrayList<>();
        for (CompletableFuture<EntityExchangeResult<String>> answer : racing) {
            results.add(answer.get(1, TimeUnit.MINUTES));
        }
        return results;
    }

    private static Path started(Path data, long job) {
        return data.resolve("supervisors/" + job + "/started");
    }


    private StreamFollower follow(String baseUrl, long id) {
        StreamFollower follower = StreamFollower.follow(baseUrl, id);
        closing.add(follower);
        return follower;
    }

    private static void awaitLine(StreamFollower follower, int number) {
        await("line " + number).atMost(DEADLINE).pollInterval(Duration.ofMillis(20))
                .until(() -> follower.lineTexts().contains("line " + number));
    }

    private static int lastLineNumber(StreamFollower follower) {
        return follower.lineTexts().stream().filter(text -> text.startsWith("line "))
                .mapToInt(text -> Integer.parseInt(text.substring("line ".length()))).max().orElse(0);
    }

    private List<String> settings(Path script, String host) {
        List<String> settings = new ArrayList<>(List.of(
                "--spiderpig.jobs.steady.command=" + script,
                "--spiderpig.jobs.steady.validator=none",
                "--spiderpig.runner.prompt-idle=200ms",
                "--spiderpig.instance.host=" + host,
                "--spiderpig.instance.heartbeat=200ms",
                // A's restart may take minutes on a busy machine; its job must not be given up for lost meanwhile.
                "--spiderpig.instance.lease-ttl=10m",
                "--spiderpig.retention.enabled=false"));
        settings.addAll(List.of(database.serverArguments()));
        return settings;
    }
}
