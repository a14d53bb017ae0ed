package org.wikimedia.spiderpig.web;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.wikimedia.spiderpig.web.JobApiTest.problem;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/** Sending one signal to a running job, and running a finished backport again. */
@ServerTest
class SignalAndRetryApiTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-signal-retry");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestScripts.jobType(registry, DATA, "stubborn", """
                trap 'echo "interrupted, carrying on"' INT
                echo "ready"
                while true; do sleep 0.1; done
                """);
        TestScripts.jobType(registry, DATA, "quick", "echo \"backporting $*\"\n");
        TestScripts.jobType(registry, DATA, "other", "echo done\n");
        registry.add("spiderpig.jobs.quick.validator", () -> "change-ids");
        registry.add("spiderpig.jobs.stubborn.concurrency-group", () -> "stubborn");
        registry.add("spiderpig.data-dir", DATA::toString);
    }

    private WebTestClient.ResponseSpec signal(long id, Object signal) {
        return client.post().uri("/api/jobs/{id}/signal", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("signal", signal)).exchange();
    }

    private List<String> logTexts(long id) {
        return api.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text");
    }

    @Test
    void anInterruptReachesTheJobAndIsLoggedWithWhoSentItThenKillEndsIt() {
        long id = api.start("stubborn", Map.of()).get("id").asLong();
        await("the job is ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> logTexts(id).contains("ready"));

        signal(id, "interrupt").expectStatus().isAccepted().expectBody().jsonPath("$.id").isEqualTo(id);

        await("the job saw SIGINT").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> logTexts(id).contains("interrupted, carrying on"));
        assertThat(logTexts(id)).anySatisfy(line -> assertThat(line)
                .matches("\\[spiderpig] .+ sent SIGINT \\(interrupt\\) to the job's process group"));
        assertThat(api.job(id).get("state").asString()).isEqualTo("running");

        signal(id, "kill").expectStatus().isAccepted();
        assertThat(api.get("/api/audit?action=job-signalled&job=" + id).get("entries").findValuesAsString("detail"))
                .containsExactly("kill", "interrupt");

        JsonNode job = api.awaitState(id, "failed");
        assertThat(job.get("reason").asString()).contains("signal 9");
        assertThat(logTexts(id)).anySatisfy(line -> assertThat(line).contains("sent SIGKILL (kill)"));
        problem(signal(id, "kill"), 409, "job-finished");
    }

    @Test
    void aQueuedJobHasNothingToSignalAndBadSignalsAreRefused() {
        long running = api.start("stubborn", Map.of()).get("id").asLong();
        long queued = api.start("stubborn", Map.of()).get("id").asLong();
        await("the job is ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> logTexts(running).contains("ready"));

        problem(signal(queued, "interrupt"), 409, "job-not-running");
        problem(signal(running, "hup"), 400, "invalid-parameters");
        problem(signal(running, 9), 400, "malformed-request");
        problem(client.post().uri("/api/jobs/{id}/signal", running).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange(), 400, "invalid-parameters");
        problem(client.post().uri("/api/jobs/{id}/signal", running).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"signal\":").exchange(), 400, "malformed-request");

        client.post().uri("/api/jobs/{id}/cancel", queued).exchange().expectStatus().isAccepted();
        signal(running, "kill").expectStatus().isAccepted();
        api.awaitState(running, "failed");
    }

    @Test
    void aFinishedBackportRunsAgainWithItsChangesAndLinksToTheFirst() {
        long first = api.start("quick", Map.of("changeIds", List.of("12345", "67890"))).get("id").asLong();
        api.awaitState(first, "succeeded");

        byte[] body = client.post().uri("/api/jobs/{id}/retry", first).exchange()
                .expectStatus().isCreated()
                .expectHeader().value("Location", location -> assertThat(location).matches("/api/jobs/\\d+"))
                .expectBody().returnResult().getResponseBody();
        JsonNode again = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);

        assertThat(again.get("id").asLong()).isGreaterThan(first);
        assertThat(again.get("retryOf").asLong()).isEqualTo(first);
        assertThat(api.get("/api/audit?action=job-retried&job=" + again.get("id").asLong()).get("entries")
                .findValuesAsString("detail")).containsExactly("run again of job " + first);
        assertThat(again.get("command").asString()).isEqualTo("quick");
        assertThat(again.get("parameters").get("changeIds").valueStream().map(JsonNode::asString))
                .containsExactly("12345", "67890");
        assertThat(again.get("changes").findValuesAsString("number")).containsExactly("12345", "67890");
        JsonNode done = api.awaitState(again.get("id").asLong(), "succeeded");
        assertThat(done.get("retryOf").asLong()).isEqualTo(first);
        assertThat(api.job(first).get("retryOf").isNull()).isTrue();
    }

    @Test
    void withoutAGerritTheSimulatedOneAnswersAndKnowsAllButChange404() {
        client.get().uri("/api/gerrit/changes/12345").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.project").isNotEmpty()
                .jsonPath("$.subject").isNotEmpty()
                .jsonPath("$.commitMessage").value(String.class, m -> assertThat(m).containsPattern("Bug: T\\d+"));
        problem(client.get().uri("/api/gerrit/changes/404").exchange(), 404, "unknown-change");
        problem(client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("command", "quick", "parameters", Map.of("changeIds", List.of("404"))))
                .exchange(), 400, "invalid-parameters");
    }

    @Test
    void onlyFinishedJobsMadeOfChangesRunAgain() {
        long running = api.start("stubborn", Map.of()).get("id").asLong();
        problem(client.post().uri("/api/jobs/{id}/retry", running).exchange(), 409, "job-not-finished");
        await("the job is ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> logTexts(running).contains("ready"));
        signal(running, "kill").expectStatus().isAccepted();
        api.awaitState(running, "failed");
        problem(client.post().uri("/api/jobs/{id}/retry", running).exchange(), 409, "not-retryable");

        long other = api.start("other", Map.of()).get("id").asLong();
        api.awaitState(other, "succeeded");
        problem(client.post().uri("/api/jobs/{id}/retry", other).exchange(), 409, "not-retryable");
    }
}
