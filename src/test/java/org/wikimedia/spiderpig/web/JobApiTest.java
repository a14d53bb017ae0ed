package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.Processes;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/** The jobs API through HTTP, with real subprocesses. */
@ServerTest
class JobApiTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-job-api");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestScripts.jobType(registry, DATA, "wait", """
                echo "waiting for a line"
                printf "Your answer: "
                read -r line
                echo "got: $line"
                """);
        TestScripts.jobType(registry, DATA, "fails", """
                echo "about to fail"
                echo "something broke" >&2
                exit 3
                """);
        TestScripts.jobType(registry, DATA, "sleeper", """
                echo "sleeping"
                sleep 600 &
                echo "child $!"
                wait
                """);
        TestScripts.jobType(registry, DATA, "odd", """
                printf 'caf\\xe9 \\xff\\xfe ok\\n'
                printf 'progress 10%%\\rprogress 50%%\\rprogress 100%%\\n'
                head -c 10000000 /dev/zero | tr '\\0' 'x'
                """);
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.jobs.wait.concurrency-group", () -> "wait");
        registry.add("spiderpig.jobs.wait.prompt-patterns[0].regex", () -> "Your answer:$");
        registry.add("spiderpig.jobs.sleeper.interrupt-grace", () -> "2s");
        registry.add("spiderpig.jobs.sleeper.terminate-grace", () -> "2s");
        // Exists at start (the settings check refuses a missing command), removed before the job starts.
        registry.add("spiderpig.jobs.missing.command", () -> TestScripts.write(DATA.resolve("scripts"), "vanishing-program",
                "true").toString());
        registry.add("spiderpig.jobs.missing.validator", () -> "none");
    }

    @Test
    void startsABackportAndAnswersLocationAndTheJob() {
        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("command", "backport", "parameters", Map.of("changeIds",
                        List.of("12345", "https://gerrit.wikimedia.org/r/c/mediawiki/core/+/67890", "12345"))))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().value("Location", location -> assertThat(location).matches("/api/jobs/\\d+"))
                .expectBody()
                .jsonPath("$.command").isEqualTo("backport")
                .jsonPath("$.parameters.changeIds").isEqualTo(List.of("12345", "67890"))
                .jsonPath("$.description").isEqualTo("Backport 12345, 67890")
                .jsonPath("$.owner").isNotEmpty()
                .jsonPath("$.state").isEqualTo("queued")
                .jsonPath("$.createdAt").value(String.class, at -> assertThat(at).endsWith("Z"));
    }

    @Test
    void invalidChangeIdsAreA400ListingEveryBadValue() {
        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("command", "backport", "parameters", Map.of("changeIds", List.of("abc", "1", "x/y"))))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://spiderpig.wikimedia.org/problems/invalid-parameters")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.errors.length()").isEqualTo(2)
                .jsonPath("$.errors[0].value").isEqualTo("abc")
                .jsonPath("$.errors[1].value").isEqualTo("x/y")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("abc", "x/y"));
    }

    @Test
    void unknownCommandIsA400NamingTheKnownOnes() {
        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("command", "rm-rf", "parameters", Map.of()))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("backport"));
    }

    @Test
    void badRequestsAreProblemsToo() {
        problem(client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"command\": ")
                .exchange(), 400, "malformed-request");
        problem(client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue("[1,2]")
                .exchange(), 400, "malformed-request");
        problem(client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange(), 400, "malformed-request");
        problem(client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"command\":\"backport\",\"parameters\":{\"changeIds\":[\"" + "1".repeat(70_000) + "\"]}}")
                .exchange(), 413, "payload-too-large");
        problem(client.post().uri("/api/jobs").contentType(MediaType.TEXT_PLAIN).bodyValue("hello")
                .exchange(), 415, "unsupported-media-type");
        problem(client.get().uri("/api/jobs/999999").exchange(), 404, "not-found");
        problem(client.get().uri("/api/jobs/abc").exchange(), 404, "not-found");
        problem(client.get().uri("/api/nothing-here").exchange(), 404, "not-found");
        problem(client.delete().uri("/api/jobs").exchange(), 405, "method-not-allowed");
        problem(client.get().uri("/api/jobs?limit=0").exchange(), 400, "malformed-request");
        problem(client.get().uri("/api/jobs?before=x").exchange(), 400, "malformed-request");
        problem(client.get().uri("/no/such/page.png").exchange(), 404, "not-found");
    }

    @Test
    void listsNewestFirstWithALinkToTheNextPage() {
        long first = api.start("fails", Map.of()).get("id").asLong();
        long second = api.start("fails", Map.of()).get("id").asLong();
        long third = api.start("fails", Map.of()).get("id").asLong();

        client.get().uri("/api/jobs?limit=2&before=" + (third + 1)).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Link", "</api/jobs?limit=2&before=" + second + ">; rel=\"next\"")
                .expectBody()
                .jsonPath("$.jobs[0].id").isEqualTo(third)
                .jsonPath("$.jobs[1].id").isEqualTo(second)
                .jsonPath("$.next").isEqualTo("/api/jobs?limit=2&before=" + second);
        JsonNode next = api.get("/api/jobs?limit=2&before=" + second);
        assertThat(next.get("jobs").get(0).get("id").asLong()).isEqualTo(first);
    }

    @Test
    void aFailingCommandFailsWithItsExitCodeAndStderrMarked() {
        long id = api.start("fails", Map.of()).get("id").asLong();

        JsonNode job = api.awaitState(id, "failed");

        assertThat(job.get("exitCode").asInt()).isEqualTo(3);
        JsonNode log = api.get("/api/jobs/" + id + "/log");
        assertThat(log.get("lines").findValuesAsString("text")).contains("about to fail", "something broke");
        // stdout and stderr are separate pipes: their relative order is arrival order, so find the line by text.
        assertThat(log.get("lines")).anySatisfy(line -> {
            assertThat(line.get("text").asString()).isEqualTo("something broke");
            assertThat(line.get("stream").asString()).isEqualTo("stderr");
        });
    }

    @Test
    void oddBytesRedrawsAndA10MegabyteLineWithoutNewlineLoseNothing() {
        long id = api.start("odd", Map.of()).get("id").asLong();

        JsonNode job = api.awaitState(id, "succeeded");

        long size = job.get("lineCount").asLong();
        JsonNode first = api.get("/api/jobs/" + id + "/log?from=1&to=3");
        assertThat(first.get("lines").get(0).get("text").asString()).isEqualTo("caf\uFFFD \uFFFD\uFFFD ok");
        assertThat(first.get("lines").get(1).get("text").asString()).isEqualTo("progress 100%");
        long xs = 0;
        long answers = 0;
        for (long from = 3; from <= size; answers++) {
            JsonNode range = Api.getLarge("http://127.0.0.1:" + port + "/api/jobs/" + id + "/log?from=" + from);
            for (JsonNode line : range.get("lines")) {
                xs += line.get("text").asString().chars().filter(c -> c == 'x').count();
            }
            from = range.get("to").asLong();
        }
        assertThat(xs).isEqualTo(10_000_000);
        assertThat(size).isGreaterThan(100);
        assertThat(answers).as("a range answer stops after about 4 MiB of text").isGreaterThan(1);
    }

    @Test
    void aCommandThatCannotStartFailsTheJobWithAClearLine() throws Exception {
        Files.delete(DATA.resolve("scripts").resolve("vanishing-program"));
        long id = api.start("missing", Map.of()).get("id").asLong();

        api.awaitState(id, "failed");

        JsonNode log = api.get("/api/jobs/" + id + "/log");
        assertThat(log.get("lines").get(0).get("text").asString()).startsWith("[spiderpig]").contains("vanishing-program");
    }

    @Test
    void jobsOfOneGroupRunOneAtATimeInOrder() {
        long first = api.start("wait", Map.of()).get("id").asLong();
        long second = api.start("wait", Map.of()).get("id").asLong();
        long third = api.start("wait", Map.of()).get("id").asLong();

        api.awaitPrompt(first);
        assertThat(api.job(second).get("state").asString()).isEqualTo("queued");
        assertThat(api.job(third).get("state").asString()).isEqualTo("queued");
        JsonNode status = api.get("/api/status");
        assertThat(status.get("queued").findValuesAsString("state")).containsOnly("queued");

        answerPending(first, "one");
        api.awaitState(first, "succeeded");
        api.awaitPrompt(second);
        assertThat(api.job(third).get("state").asString()).isEqualTo("queued");
        answerPending(second, "two");
        answerPending(third, "three");
        api.awaitState(third, "succeeded");
        assertThat(api.job(second).get("startedAt").asString()).isLessThanOrEqualTo(api.job(third).get("startedAt").asString());
        assertThat(api.get("/api/jobs/" + third + "/log").get("lines").findValuesAsString("text")).contains("got: three");
    }

    @Test
    void cancellingAQueuedJobCancelsItAtOnce() {
        long running = api.start("wait", Map.of()).get("id").asLong();
        long queued = api.start("wait", Map.of()).get("id").asLong();
        api.awaitPrompt(running);

        client.post().uri("/api/jobs/{id}/cancel", queued).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.state").isEqualTo("cancelled").jsonPath("$.cancelledBy").isNotEmpty();

        problem(client.post().uri("/api/jobs/{id}/cancel", queued).exchange(), 409, "job-finished");
        answerPending(running, "done");
        api.awaitState(running, "succeeded");
    }

    @Test
    void cancellingARunningJobEndsItsWholeProcessGroup() {
        long id = api.start("sleeper", Map.of()).get("id").asLong();
        JsonNode log = awaitLines(id, 2);
        long child = Long.parseLong(log.get("lines").get(1).get("text").asString().replace("child ", "").trim());
        assertThat(Processes.running(child)).isTrue();

        client.post().uri("/api/jobs/{id}/cancel", id).exchange().expectStatus().isAccepted();

        JsonNode job = api.awaitState(id, "cancelled");
        assertThat(job.get("cancelledBy").asString()).isNotEmpty();
        assertThat(Processes.running(child)).isFalse();
    }

    private JsonNode awaitLines(long id, int count) {
        api.awaitJob(id, job -> job.get("lineCount").asLong() >= count, count + " lines");
        return api.get("/api/jobs/" + id + "/log");
    }

    private void answerPending(long jobId, String response) {
        JsonNode prompt = api.awaitPrompt(jobId);
        api.answer(jobId, prompt.get("id").asLong(), response).expectStatus().isOk();
    }

    static void problem(WebTestClient.ResponseSpec response, int status, String type) {
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://spiderpig.wikimedia.org/problems/" + type)
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.detail").isNotEmpty();
    }
}
