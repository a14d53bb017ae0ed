package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/** A job's steps from its status messages; a cancel and each signal it sends noted in the log; signals named. */
@ServerTest
class StepsAndCancelNotesTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-steps");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestScripts.jobType(registry, DATA, "stepped", """
                say() { printf '{"iokey":"%s","type":"status","status":"%s"}\\n' "$SPIDERPIG_IO_KEY" "$1"; }
                echo "before any step"
                say "Checking changes"
                echo "check 1"
                echo "check 2"
                say "Syncing password=hunter2"
                echo "sync 1"
                say ""
                echo "after the steps"
                exit 3
                """);
        TestScripts.jobType(registry, DATA, "stubborn", """
                trap 'echo "interrupted, carrying on"' INT
                trap 'echo "terminated, carrying on"' TERM
                echo "ready"
                while true; do sleep 0.1; done
                """);
        registry.add("spiderpig.jobs.stubborn.concurrency-group", () -> "stubborn");
        registry.add("spiderpig.jobs.stubborn.interrupt-grace", () -> "1s");
        registry.add("spiderpig.jobs.stubborn.terminate-grace", () -> "1s");
        registry.add("spiderpig.data-dir", DATA::toString);
    }

    private List<String> logTexts(long id) {
        return api.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text");
    }

    @Test
    void statusMessagesAreStepsWithTheirLinesAndTimesMasked() {
        long id = api.start("stepped", Map.of()).get("id").asLong();
        api.awaitState(id, "failed");
        // the record says failed a moment before the log's last two events (state, end) are in
        await("the job's log to end").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> api.job(id).get("lastSeq").asLong() == api.get("/api/jobs/" + id + "/steps").get("lastSeq").asLong()
                        && api.get("/api/jobs/" + id + "/log").get("lines").size() >= 5);

        JsonNode answer = api.get("/api/jobs/" + id + "/steps");
        assertThat(answer.get("lastSeq").asLong()).isEqualTo(api.job(id).get("lastSeq").asLong());
        assertThat(answer.get("lineCount").asLong()).isEqualTo(5);
        JsonNode steps = answer.get("steps");
        assertThat(steps).hasSize(2);
        JsonNode check = steps.get(0);
        assertThat(check.get("status").asString()).isEqualTo("Checking changes");
        assertThat(check.get("firstLine").asLong()).isEqualTo(2);
        assertThat(check.get("lastLine").asLong()).isEqualTo(3);
        assertThat(check.get("endedAt").isNull()).isFalse();
        assertThat(check.get("failedTasks").asInt()).isZero();
        JsonNode sync = steps.get(1);
        assertThat(sync.get("status").asString()).isEqualTo("Syncing password=[REDACTED]");
        assertThat(sync.get("firstLine").asLong()).isEqualTo(4);
        assertThat(sync.get("lastLine").asLong()).isEqualTo(4);
        assertThat(sync.get("seq").asLong()).isGreaterThan(check.get("seq").asLong());
        assertThat(java.time.Instant.parse(sync.get("startedAt").asString()))
                .isAfterOrEqualTo(java.time.Instant.parse(check.get("endedAt").asString()));
    }

    @Test
    void aJobWithoutStatusHasNoStepsAndAnUnknownJobIsA404() {
        long id = api.start("stubborn", Map.of()).get("id").asLong();
        await("the job is ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> logTexts(id).contains("ready"));
        assertThat(api.get("/api/jobs/" + id + "/steps").get("steps")).isEmpty();
        client.get().uri("/api/jobs/999999/steps").exchange().expectStatus().isNotFound();
        client.post().uri("/api/jobs/{id}/cancel", id).contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isAccepted();
        api.awaitState(id, "cancelled");
    }

    @Test
    void aCancelAndEverySignalItSendsAreNotedInTheLogBeforeTheEndAndTheEndNamesTheSignal() {
        long id = api.start("stubborn", Map.of()).get("id").asLong();
        await("the job is ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> logTexts(id).contains("ready"));

        client.post().uri("/api/jobs/{id}/cancel", id).contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isAccepted();

        JsonNode job = api.awaitState(id, "cancelled");
        assertThat(job.get("reason").asString()).isEqualTo("The command was ended by signal 9 (SIGKILL)");
        List<String> texts = logTexts(id);
        List<String> notes = texts.stream().filter(text -> text.startsWith("[spiderpig]")).toList();
        assertThat(notes).hasSize(4);
        assertThat(notes.get(0)).matches("\\[spiderpig] .+ cancelled the job");
        assertThat(notes.get(1)).contains("sent SIGINT (interrupt)");
        assertThat(notes.get(2)).contains("sent SIGTERM (terminate)");
        assertThat(notes.get(3)).contains("sent SIGKILL (kill)");
        // each note comes before what the command did on its signal
        assertThat(texts.indexOf(notes.get(1))).isLessThan(texts.indexOf("interrupted, carrying on"));
        assertThat(texts.indexOf(notes.get(2))).isLessThan(texts.indexOf("terminated, carrying on"));
    }

    @Test
    void aQueuedJobsCancelIsNoted() {
        long running = api.start("stubborn", Map.of()).get("id").asLong();
        long queued = api.start("stubborn", Map.of()).get("id").asLong();
        client.post().uri("/api/jobs/{id}/cancel", queued).contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isAccepted();
        api.awaitState(queued, "cancelled");
        assertThat(logTexts(queued)).singleElement().asString().matches("\\[spiderpig] .+ cancelled the job before it started");
        client.post().uri("/api/jobs/{id}/cancel", running).contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isAccepted();
        api.awaitState(running, "cancelled");
    }
}
