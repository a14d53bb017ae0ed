package org.wikimedia.spiderpig.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.OnPostgresql;
import org.wikimedia.spiderpig.support.PostgresServerDatabase;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stays away for longer than {@code spiderpig.database.outage-retry} while a job runs (see
 * {@link DatabaseOutageTest} for a short outage): the server lets go of the job, which runs on under its
 * supervisor, and re-attaches to it when the database answers again. Its log ends complete, in order, once,
 * with a line saying so; its prompt, opened while the database was away, is answered; its end is its own.
 */
@ServerTest
@OnPostgresql
class LongDatabaseOutageTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-long-outage");
    private static final Path GATE = DATA.resolve("gate");
    private static final Path DONE = DATA.resolve("done");
    private static final int BEFORE = 100;
    private static final int LINES = 1000;
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // The rest of its output and its prompt come once the test has taken the database away.
        TestScripts.jobType(registry, DATA, "talker", """
                for i in $(seq 1 %d); do echo "line $i"; done
                while [ ! -e '%s' ]; do sleep 0.05; done
                for i in $(seq %d %d); do echo "line $i"; done
                touch '%s'
                printf "Proceed? [y/N] "
                read answer
                echo "got $answer"
                """.formatted(BEFORE, GATE, BEFORE + 1, LINES, DONE));
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.database.outage-retry", () -> "2s");
    }

    @Test
    void aJobOutlivesAnOutageLongerThanTheRetryAndIsReattachedWhenTheDatabaseAnswers() {
        long id = api.start("talker", Map.of()).get("id").asLong();
        await("the first lines are in the log").atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> api.job(id).get("lineCount").asLong() >= BEFORE);

        PostgresServerDatabase.current().beginOutage();
        try {
            Files.writeString(GATE, "");
            // Not a fixed pause: the outage lasts until the server has given up on the database and let go.
            await("the server let go of the job, the database still away").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(100)).until(() -> lettingGo() >= 1 && Files.exists(DONE));
            // Each waits out the retry (2 s) first: the outage lasts several times the retry.
            for (int request = 0; request < 2; request++) {
                client.get().uri("/api/jobs/{id}", id).exchange()
                        .expectStatus().isEqualTo(503)
                        .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                        .expectBody().jsonPath("$.type").value(String.class,
                                type -> assertThat(type).endsWith("/database-unavailable"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            PostgresServerDatabase.current().endOutage();
        }

        long prompt = api.awaitPrompt(id).get("id").asLong();
        api.answer(id, prompt, "y").expectStatus().isOk();
        JsonNode job = await("the job's end is recorded").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> api.job(id), j -> !List.of("running", "awaiting-input").contains(j.get("state").asString()));
        assertThat(job.get("state").asString()).isEqualTo("succeeded");
        assertThat(job.get("exitCode").asInt()).isZero();
        List<String> texts = Api.getLarge("http://127.0.0.1:" + port + "/api/jobs/" + id + "/log?from=1")
                .get("lines").findValuesAsString("text");
        assertThat(texts.stream().filter(text -> text.startsWith("line ")).toList()).as("every line, in order, once")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i).toList());
        assertThat(texts.stream().filter(text -> text.contains("re-attached to it when the database answered")))
                .as("the log says the database was away").hasSize(1);
        assertThat(texts.indexOf("line " + BEFORE)).isLessThan(texts.indexOf("line " + LINES));
        assertThat(texts.get(texts.size() - 1)).isEqualTo("got y");
    }

    private double lettingGo() {
        var counter = meters.find("spiderpig.jobs.database.outages").counter();
        return counter == null ? 0 : counter.count();
    }
}
