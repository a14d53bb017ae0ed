package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.SseLines;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** A job's event stream as curl -N and as an SSE client see it: replay, resume, live, end, masking. */
@ServerTest
class EventStreamTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-streams");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestScripts.jobType(registry, DATA, "talker", """
                for i in $(seq 1 20); do echo "line $i"; done
                echo "{\\"iokey\\":\\"$SPIDERPIG_IO_KEY\\",\\"type\\":\\"status\\",\\"status\\":\\"Halfway, token=s3cr3t\\"}"
                echo "{\\"iokey\\":\\"$SPIDERPIG_IO_KEY\\",\\"type\\":\\"line\\",\\"line\\":\\"the db password is hunter2\\",\\"sensitive\\":true}"
                echo "{\\"iokey\\":\\"wrong-key\\",\\"type\\":\\"status\\",\\"status\\":\\"forged\\"}"
                echo "curl -H 'Authorization: Bearer abcdef123456' https://example.org/?password=hunter2"
                """);
        TestScripts.jobType(registry, DATA, "asker", """
                echo "before the question"
                printf "Continue with sync? [y/N] "
                read -r answer
                echo "answer was $answer"
                """);
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.streams.heartbeat", () -> "300ms");
    }

    @Test
    void curlSeesTheWholeFinishedJobAndTheStreamEnds() throws Exception {
        long id = finishedTalker();

        RawStream stream = readRaw("/api/jobs/" + id + "/events", null);

        assertThat(stream.contentType).startsWith("text/event-stream");
        assertThat(stream.cacheControl).contains("no-cache");
        assertThat(stream.accelBuffering).isEqualTo("no");
        List<Long> ids = stream.events.stream().map(e -> e.id).toList();
        assertThat(ids).isEqualTo(LongStream.rangeClosed(1, ids.size()).boxed().toList());
        assertThat(stream.events.get(stream.events.size() - 1).event).isEqualTo("end");
        assertThat(stream.events).extracting(e -> e.event).contains("state", "line", "status", "end");
    }

    @Test
    void resumingFromEveryPositionGivesExactlyTheRest() throws Exception {
        long id = finishedTalker();
        List<RawEvent> all = readRaw("/api/jobs/" + id + "/events", null).events;

        for (int position = 0; position <= all.size(); position++) {
            List<RawEvent> rest = readRaw("/api/jobs/" + id + "/events", position).events;
            assertThat(rest).as("after Last-Event-ID %d", position).isEqualTo(all.subList(position, all.size()));
        }
        assertThat(readRaw("/api/jobs/" + id + "/events?after=5", null).events).isEqualTo(all.subList(5, all.size()));
    }

    @Test
    void tailStartsThatManyLinesBeforeTheEnd() throws Exception {
        long id = finishedTalker();
        long lines = api.job(id).get("lineCount").asLong();

        List<RawEvent> tail = readRaw("/api/jobs/" + id + "/events?tail=3", null).events;

        List<Long> lineNumbers = tail.stream().filter(e -> e.event.equals("line"))
                .map(e -> Api.parse(e.data).get("line").asLong()).toList();
        assertThat(lineNumbers).containsExactly(lines - 2, lines - 1, lines);
    }

    @Test
    void outputIsMaskedAndForgedMessagesAreJustOutput() throws Exception {
        long id = finishedTalker();

        List<JsonNode> lines = readRaw("/api/jobs/" + id + "/events", null).events.stream()
                .filter(e -> e.event.equals("line")).map(e -> Api.parse(e.data)).toList();
        String all = lines.toString();

        assertThat(all).doesNotContain("hunter2").doesNotContain("abcdef123456").contains("[REDACTED]");
        JsonNode sensitive = lines.stream().filter(l -> l.get("sensitive").asBoolean()).findFirst().orElseThrow();
        assertThat(sensitive.get("text").asString()).isEqualTo("[sensitive output hidden]");
        assertThat(lines).anySatisfy(l -> assertThat(l.get("text").asString()).contains("wrong-key").contains("forged"));
        assertThat(api.job(id).get("status").asString()).isEqualTo("Halfway, token=[REDACTED]");
        // Local mode's user is an admin, who may read unmasked (SignInTest checks that others may not).
        assertThat(readRaw("/api/jobs/" + id + "/events?unmasked=true", null).events.toString()).contains("hunter2");
        assertThat(client.get().uri("/api/jobs/{id}/log?unmasked=true", id).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).contains("hunter2");
    }

    @Test
    void aLiveClientSeesThePromptAnswersItAndSeesTheEnd() {
        long id = api.start("asker", Map.of()).get("id").asLong();
        WebClient web = WebClient.create("http://127.0.0.1:" + port);
        Flux<ServerSentEvent<String>> events = web.get().uri("/api/jobs/{id}/events", id).retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .filter(event -> event.event() != null)
                // The test answers with a blocking client from inside the stream, so not on an event loop.
                .publishOn(Schedulers.boundedElastic());

        StepVerifier.create(events)
                .thenConsumeWhile(event -> !"interaction".equals(event.event()), event -> {
                })
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("interaction");
                    JsonNode interaction = Api.parse(event.data()).get("interaction");
                    assertThat(interaction.get("prompt").asString()).contains("Continue with sync?");
                    assertThat(interaction.get("choices").toString()).contains("\"y\"");
                    api.answer(id, interaction.get("id").asLong(), "y").expectStatus().isOk();
                })
                .thenConsumeWhile(event -> !"end".equals(event.event()), event -> {
                })
                .assertNext(event -> assertThat(Api.parse(event.data()).get("state").asString()).isEqualTo("succeeded"))
                .expectComplete()
                .verify(Duration.ofSeconds(60));

        List<String> texts = api.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text");
        assertThat(texts).contains("answer was y");
        assertThat(texts).anySatisfy(text -> assertThat(text).contains("answered \"y\""));
    }

    @Test
    void logRangesAsJsonAndText() {
        long id = finishedTalker();

        JsonNode range = api.get("/api/jobs/" + id + "/log?from=2&to=4");
        assertThat(range.get("from").asLong()).isEqualTo(2);
        assertThat(range.get("to").asLong()).isEqualTo(4);
        assertThat(range.get("lines").findValuesAsString("text")).containsExactly("line 2", "line 3");
        assertThat(range.get("size").asLong()).isEqualTo(api.get("/api/jobs/" + id + "/log/size").get("lines").asLong());

        String text = client.get().uri("/api/jobs/{id}/log?from=1&to=3", id).header("Accept", "text/plain")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(text).isEqualTo("line 1\nline 2\n");

        client.get().uri("/api/jobs/{id}/log.txt", id).exchange()
                .expectStatus().isOk()
                .expectHeader().value("Content-Disposition", d -> assertThat(d).contains("attachment"))
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("line 20\n", "[1 sensitive line hidden]\n").doesNotContain("hunter2"));
    }

    @Test
    void anIdleStreamGetsHeartbeatComments() throws Exception {
        long id = api.start("asker", Map.of()).get("id").asLong();
        long interaction = api.awaitPrompt(id).get("id").asLong();

        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs/" + id + "/events"))
                        .timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofLines());
        try (java.util.stream.Stream<String> lines = response.body()) {
            assertThat(lines.filter(line -> line.startsWith(":")).skip(1).findFirst()).contains(":heartbeat");
        }
        api.answer(id, interaction, "y").expectStatus().isOk();
        api.awaitState(id, "succeeded");
    }

    @Test
    void theOverviewStreamTellsOfEveryJobsLife() {
        WebClient web = WebClient.create("http://127.0.0.1:" + port);
        Flux<ServerSentEvent<String>> changes = web.get().uri("/api/events").retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .filter(event -> event.event() != null || "connected".equals(event.comment()))
                .publishOn(Schedulers.boundedElastic());
        long[] id = {0};

        StepVerifier.create(changes)
                .assertNext(event -> {
                    // Connected: from now on no change is missed.
                    assertThat(event.comment()).isEqualTo("connected");
                    id[0] = api.start("asker", Map.of()).get("id").asLong();
                })
                .thenConsumeWhile(event -> !isAbout(event, id[0], "job-created"), event -> {
                })
                .assertNext(event -> assertThat(Api.parse(event.data()).get("job").get("state").asString()).isEqualTo("queued"))
                .thenConsumeWhile(event -> !isAbout(event, id[0], "interaction"), event -> {
                })
                .assertNext(event -> {
                    JsonNode data = Api.parse(event.data());
                    assertThat(data.get("job").get("state").asString()).isEqualTo("awaiting-input");
                    api.answer(id[0], data.get("interaction").get("id").asLong(), "n").expectStatus().isOk();
                })
                .thenConsumeWhile(event -> !isAbout(event, id[0], "interaction-answered"), event -> {
                })
                .assertNext(event -> assertThat(Api.parse(event.data()).get("interaction").get("response").asString()).isEqualTo("n"))
                .thenConsumeWhile(event -> !isAbout(event, id[0], "job-finished"), event -> {
                })
                .assertNext(event -> assertThat(Api.parse(event.data()).get("job").get("state").asString()).isEqualTo("succeeded"))
                .thenCancel()
                .verify(Duration.ofSeconds(60));
    }

    private static boolean isAbout(ServerSentEvent<String> event, long jobId, String type) {
        return type.equals(event.event()) && Api.parse(event.data()).get("job").get("id").asLong() == jobId;
    }

    private long finishedTalker() {
        long id = api.start("talker", Map.of()).get("id").asLong();
        api.awaitState(id, "succeeded");
        return id;
    }

    record RawEvent(long id, String event, String data) {
    }

    record RawStream(String contentType, String cacheControl, String accelBuffering, List<RawEvent> events) {
    }

    /** Reads the stream as curl -N would: raw lines until the server closes it. */
    private RawStream readRaw(String path, Integer lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId.toString());
        }
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        List<RawEvent> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            SseLines.read(reader, (id, event, data) -> events.add(new RawEvent(id, event, data)));
        }
        return new RawStream(response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Cache-Control").orElse(""),
                response.headers().firstValue("X-Accel-Buffering").orElse(""), events);
    }
}
