package org.wikimedia.spiderpig.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import org.wikimedia.spiderpig.job.Prompts;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/** Prompts answered through HTTP: validation, closed prompts, and the race that exactly one answer wins. */
@ServerTest
class PromptAnswerTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-prompts");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // Echoes every line that reaches its stdin until its stdin is idle for a while, so a second
        // answer written by mistake would show up in the log.
        TestScripts.jobType(registry, DATA, "asker", """
                printf "Proceed? [y/N] "
                read -r answer
                echo "stdin: $answer"
                while read -r -t 1 extra; do echo "stdin: $extra"; done
                echo "done"
                """);
        TestScripts.jobType(registry, DATA, "input", """
                echo "{\\"iokey\\":\\"$SPIDERPIG_IO_KEY\\",\\"type\\":\\"interaction\\",\\"subtype\\":\\"input_line\\",\\"prompt\\":\\"Reason for the deploy?\\"}"
                read -r reason
                echo "reason: $reason"
                """);
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.jobs.input.concurrency-group", () -> "input");
    }

    @RepeatedTest(3)
    void ofAHundredConcurrentAnswersExactlyOneWinsAndOnlyItReachesTheSubprocess() throws Exception {
        long id = api.start("asker", Map.of()).get("id").asLong();
        JsonNode prompt = api.awaitPrompt(id);
        assertThat(prompt.get("kind").asString()).isEqualTo("choices");
        long interaction = prompt.get("id").asLong();
        WebClient web = WebClient.create("http://127.0.0.1:" + port);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();

        List<Integer> codes = Flux.range(0, 100)
                .flatMap(i -> web.post().uri("/api/jobs/{id}/interactions/{iid}", id, interaction)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("response", i % 2 == 0 ? "y" : "n"))
                        .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                        .subscribeOn(Schedulers.parallel()), 100)
                .doOnNext(code -> statuses.merge(code, 1, Integer::sum))
                .collectList()
                .block();

        assertThat(codes).hasSize(100);
        assertThat(statuses).containsOnlyKeys(200, 409).containsEntry(200, 1).containsEntry(409, 99);
        JsonNode job = api.awaitState(id, "succeeded");
        List<String> texts = api.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text");
        assertThat(texts.stream().filter(t -> t.startsWith("stdin: "))).hasSize(1);
        JsonNode answered = api.get("/api/jobs/" + id + "/interactions/" + interaction);
        assertThat(texts).contains("stdin: " + answered.get("response").asString());
        assertThat(answered.get("answeredBy").asString()).isNotEmpty();
        assertThat(job.get("pendingInteraction").isNull()).isTrue();
    }

    @Test
    void aSecondAnswerIsA409SayingWhoAnsweredWhat() {
        long id = api.start("asker", Map.of()).get("id").asLong();
        long interaction = api.awaitPrompt(id).get("id").asLong();

        api.answer(id, interaction, "y").expectStatus().isOk()
                .expectBody().jsonPath("$.response").isEqualTo("y").jsonPath("$.answeredBy").isNotEmpty();
        api.answer(id, interaction, "n").expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://spiderpig.wikimedia.org/problems/already-answered")
                .jsonPath("$.response").isEqualTo("y")
                .jsonPath("$.answeredBy").isNotEmpty()
                .jsonPath("$.answeredAt").isNotEmpty();
        api.awaitState(id, "succeeded");
    }

    @Test
    void answersAreValidatedAndUnknownOrForeignIdsAre404() {
        long id = api.start("asker", Map.of()).get("id").asLong();
        long interaction = api.awaitPrompt(id).get("id").asLong();

        api.answer(id, interaction, "maybe").expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://spiderpig.wikimedia.org/problems/invalid-response")
                .jsonPath("$.validResponses").isEqualTo(List.of("y", "n"));
        api.answer(id, 999_999, "y").expectStatus().isNotFound();
        api.answer(999_999, interaction, "y").expectStatus().isNotFound();
        client.post().uri("/api/jobs/{id}/interactions/{iid}", id, interaction).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"response\": ").exchange().expectStatus().isBadRequest();

        api.answer(id, interaction, "n").expectStatus().isOk();
        api.awaitState(id, "succeeded");
        client.get().uri("/api/jobs/{id}/interactions", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.interactions[0].response").isEqualTo("n");
    }

    @Test
    void inputLinePromptsTakeOneLine() {
        long id = api.start("input", Map.of()).get("id").asLong();
        JsonNode prompt = api.awaitPrompt(id);
        assertThat(prompt.get("kind").asString()).isEqualTo("input_line");
        long interaction = prompt.get("id").asLong();

        api.answer(id, interaction, "two\nlines").expectStatus().isBadRequest();
        api.answer(id, interaction, "x".repeat(4097)).expectStatus().isBadRequest();
        api.answer(id, interaction, "fixing the main page").expectStatus().isOk();

        api.awaitState(id, "succeeded");
        assertThat(api.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text"))
                .contains("reason: fixing the main page");
    }

    @Test
    void cancellingAJobClosesItsPromptAndLaterAnswersAre409() {
        long id = api.start("asker", Map.of()).get("id").asLong();
        long interaction = api.awaitPrompt(id).get("id").asLong();

        client.post().uri("/api/jobs/{id}/cancel", id).exchange().expectStatus().isAccepted();
        api.awaitState(id, "cancelled");

        api.answer(id, interaction, "y").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://spiderpig.wikimedia.org/problems/interaction-closed");
        JsonNode closed = api.get("/api/jobs/" + id + "/interactions/" + interaction);
        assertThat(closed.get("closedReason").asString()).contains("cancel");
    }
}
