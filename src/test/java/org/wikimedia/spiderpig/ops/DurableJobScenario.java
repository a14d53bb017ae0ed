package org.wikimedia.spiderpig.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.LeftoverJobs;
import org.wikimedia.spiderpig.support.Processes;
import org.wikimedia.spiderpig.support.ServerProcess;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * A job that prints numbered lines ({@code line 1} … {@code line N}) in phases, asking {@code Continue after
 * line n? [y/N]} between them and recording each answer it reads in a file, run by servers in JVMs of
 * their own on one data directory, so that the server can be killed or stopped under it. Shared by the fault
 * test ({@code mvn verify}, a few stops) and the fault benchmark (20 of them).
 */
final class DurableJobScenario implements AutoCloseable {

    enum Stop { SIGKILL, SIGTERM }

    private static final Duration LONG = Duration.ofSeconds(240);

    final Path data;
    final Path answers;
    final int phases;
    final int linesPerPhase;
    private final List<String> arguments;
    private ServerProcess server;

    DurableJobScenario(String name, int phases, int linesPerPhase, int exitCode) {
        this.data = TestScripts.tempDirectory("spiderpig-" + name);
        this.answers = data.resolve("answers.txt");
        this.phases = phases;
        this.linesPerPhase = linesPerPhase;
        Path script = TestScripts.write(data.resolve("scripts"), "phases.sh", """
                n=0
                for phase in $(seq 1 %d); do
                  for i in $(seq 1 %d); do
                    n=$((n+1))
                    echo "line $n"
                    sleep 0.01
                  done
                  if [ $phase -lt %d ]; then
                    printf "Continue after line %%d? [y/N] " $n
                    read -r answer
                    echo "$n $answer" >> %s
                  fi
                done
                exit %d
                """.formatted(phases, linesPerPhase, phases, answers, exitCode));
        this.arguments = List.of("--spiderpig.jobs.phases.command=" + script,
                "--spiderpig.jobs.phases.validator=none",
                "--spiderpig.runner.prompt-idle=200ms");
    }

    int lines() {
        return phases * linesPerPhase;
    }

    Api start() {
        server = ServerProcess.start(data, List.of("-Xmx256m"), arguments);
        return server.api();
    }

    void stop(Stop how) {
        if (how == Stop.SIGKILL) {
            server.kill();
        } else {
            server.close();
        }
        server = null;
    }

    String baseUrl() {
        return server.baseUrl();
    }

    long startJob(Api api) {
        return api.start("phases", Map.of()).get("id").asLong();
    }

    /** Waits until the job has about {@code lines} lines, or waits for an answer. */
    static void awaitProgress(Api api, long id, long lines) {
        await("job " + id + " at line " + lines).atMost(LONG).pollInterval(Duration.ofMillis(20))
                .until(() -> api.job(id), job -> job.get("lineCount").asLong() >= lines
                        || !job.get("pendingInteraction").isNull() || !job.get("finishedAt").isNull());
    }

    /** Answers the prompts until the job has ended. */
    static JsonNode answerUntilEnd(Api api, long id) {
        return await("job " + id + " ends").atMost(LONG).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode job = api.job(id);
            JsonNode prompt = job.get("pendingInteraction");
            if (!prompt.isNull()) {
                api.answer(id, prompt.get("id").asLong(), "y").expectStatus().isOk();
            }
            return job;
        }, job -> !job.get("finishedAt").isNull());
    }

    /**
     * Stops the server {@code stops} times at random moments (a random line of each phase, or its prompt),
     * answering the pending prompt through the API after each restart; then lets the job end.
     */
    JsonNode runThroughStops(Stop how, int stops, long seed) {
        Random random = new Random(seed);
        Api api = start();
        long id = startJob(api);
        for (int stop = 0; stop < stops; stop++) {
            int phase = stop * phases / stops;
            long target = (long) phase * linesPerPhase + 1 + random.nextInt(linesPerPhase + linesPerPhase / 4);
            awaitProgress(api, id, target);
            stop(how);
            api = start();
            JsonNode job = api.job(id);
            assertThat(job.get("state").asString()).as("after restart %d", stop + 1).isIn("running", "awaiting-input");
            JsonNode prompt = job.get("pendingInteraction");
            if (!prompt.isNull()) {
                api.answer(id, prompt.get("id").asLong(), "y").expectStatus().isOk();
            }
        }
        return answerUntilEnd(api, id);
    }

    /** The job's log holds {@code line 1} … {@code line N} exactly once, in order: through ranges and a full SSE replay. */
    void assertLinesExactlyOnce(long id) {
        List<String> expected = IntStream.rangeClosed(1, lines()).mapToObj(n -> "line " + n).toList();
        JsonNode range = Api.getLarge(server.baseUrl() + "/api/jobs/" + id + "/log?from=1");
        List<String> fromRange = numbered(range.get("lines").findValuesAsString("text"));
        assertThat(fromRange).as("lines through the range API").containsExactlyElementsOf(expected);
        assertThat(numbered(replay(id))).as("lines through an SSE replay").containsExactlyElementsOf(expected);
    }

    /** Each prompt's answer reached the command exactly once. */
    void assertEveryAnswerOnce() {
        List<String> expected = IntStream.range(1, phases).mapToObj(p -> (p * linesPerPhase) + " y").toList();
        try {
            assertThat(Files.readAllLines(answers)).as("answers the command read").containsExactlyElementsOf(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** After the server is stopped: SQLite finds its database whole. */
    void assertDatabaseIntact() {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("spiderpig.db"));
                ResultSet result = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("ok");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The job's whole event stream from the start, as an SSE client sees it, until its end event. */
    List<String> replay(long id) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/jobs/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(120)).build();
        try {
            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            List<String> texts = new ArrayList<>();
            long expectedSeq = 1;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = null;
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("id:")) {
                        assertThat(Long.parseLong(line.substring(3).strip())).as("SSE ids without gap").isEqualTo(expectedSeq++);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:") && "line".equals(event)) {
                        texts.add(Api.parse(line.substring(5)).get("text").asString());
                    } else if (line.startsWith("data:") && "end".equals(event)) {
                        return texts;
                    }
                }
            }
            throw new AssertionError("the event stream ended without an end event");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> numbered(List<String> texts) {
        return texts.stream().filter(text -> text.matches("line \\d+")).toList();
    }

    /** The job's supervisor files (see SupervisorFiles). */
    Path supervisorDirectory(long id) {
        return data.resolve("supervisors").resolve(Long.toString(id));
    }

    static boolean gone(long pid) {
        return !Processes.running(pid);
    }

    @Override
    public void close() {
        if (server != null) {
            server.kill();
        }
        LeftoverJobs.endAll(data);
    }
}
