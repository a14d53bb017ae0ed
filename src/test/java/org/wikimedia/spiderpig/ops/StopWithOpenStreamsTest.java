package org.wikimedia.spiderpig.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wikimedia.spiderpig.SpiderPigApplication;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.LeftoverJobs;
import org.wikimedia.spiderpig.support.ServerProcess;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * A stop (SIGTERM) with browsers watching ends every event stream at once instead of waiting out the
 * 30 s graceful timeout, and a job still running is told, in the server's log and its own, what
 * becomes of it: it goes on, and the next server re-attaches to it with its prompt still open.
 */
class StopWithOpenStreamsTest {

    /** Far below the 30 s graceful-shutdown timeout that open streams used to run into, yet generous for a busy machine. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(20);

    private final Path data = TestScripts.tempDirectory("spiderpig-stop");
    private final HttpClient http = HttpClient.newHttpClient();
    private ServerProcess server;
    private ConfigurableApplicationContext nextServer;

    @AfterEach
    void stopServers() {
        if (server != null) {
            server.kill();
        }
        if (nextServer != null) {
            nextServer.close();
        }
        LeftoverJobs.endAll(data);
    }

    @Test
    void aStopWithOpenStreamsAndARunningJobTakesSecondsAndSaysWhatBecomesOfTheJob() throws Exception {
        Path script = TestScripts.write(data.resolve("scripts"), "waiting.sh", """
                echo "waiting for the question"
                printf "Proceed? [y/N] "
                read answer
                """);
        List<String> jobType = List.of("--spiderpig.jobs.waiting.command=" + script,
                "--spiderpig.jobs.waiting.validator=none", "--spiderpig.runner.prompt-idle=200ms");
        server = ServerProcess.start(data, List.of(), jobType);
        Api api = server.api();
        long id = api.start("waiting", Map.of()).get("id").asLong();
        api.awaitPrompt(id);

        List<CompletableFuture<byte[]>> streamsEnded = new ArrayList<>();
        for (String path : List.of("/api/events", "/api/events", "/api/jobs/" + id + "/events", "/api/jobs/" + id + "/events")) {
            streamsEnded.add(openStream(path));
        }

        long stopStarted = System.nanoTime();
        server.close();
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStarted);
        String serverLog = Files.readString(data.resolve("server-" + server.port() + ".log"));
        server = null;

        assertThat(stopTook).as("the stop took %s; the server said:%n%s", stopTook, serverLog).isLessThan(STOP_BOUND);
        for (CompletableFuture<byte[]> stream : streamsEnded) {
            assertThat(stream.get(60, TimeUnit.SECONDS)).as("the stream ended").isNotNull();
        }
        assertThat(serverLog).contains("Graceful shutdown complete").doesNotContain("Graceful shutdown aborted")
                .contains("Server stopping while job " + id);

        List<String> args = new ArrayList<>(jobType);
        args.add("--spiderpig.data-dir=" + data);
        args.add("--server.port=0");
        nextServer = new SpringApplicationBuilder(SpiderPigApplication.class).run(args.toArray(String[]::new));
        Api next = new Api(WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + nextServer.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30)).build());
        JsonNode job = next.job(id);
        assertThat(job.get("state").asString()).isEqualTo("awaiting-input");
        List<String> texts = next.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text");
        assertThat(texts).anySatisfy(text -> assertThat(text).contains("server is stopping while this job runs")
                .contains("The job goes on"));
        next.answer(id, job.get("pendingInteraction").get("id").asLong(), "y").expectStatus().isOk();
        assertThat(next.awaitJob(id, j -> !j.get("finishedAt").isNull(), "ended").get("state").asString())
                .isEqualTo("succeeded");
    }

    /** An SSE stream like {@code curl -N}: open once its first comment arrived; completes with the rest when it ends. */
    private CompletableFuture<byte[]> openStream(String path) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        InputStream body = response.body();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains(":connected")) {
            int next = body.read();
            assertThat(next).as("the stream %s opened", path).isNotNegative();
            seen.append((char) next);
        }
        return CompletableFuture.supplyAsync(() -> {
            try (body) {
                return body.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
