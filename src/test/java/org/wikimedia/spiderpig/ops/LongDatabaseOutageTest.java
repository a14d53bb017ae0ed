package org.wikimedia.spiderpig.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.wikimedia.spiderpig.support.DatabaseOutage.BEFORE;
import static org.wikimedia.spiderpig.support.DatabaseOutage.LINES;
import static org.wikimedia.spiderpig.support.DatabaseOutage.PATIENCE;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.DatabaseOutage;
import org.wikimedia.spiderpig.support.OnPostgresql;
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
    private static final DatabaseOutage OUTAGE = new DatabaseOutage(DATA);

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // The rest of its output and its prompt come once the test has taken the database away.
        OUTAGE.registerTalker(registry, DATA, """
                printf "Proceed? [y/N] "
                read answer
                echo "got $answer"
                """);
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.database.outage-retry", () -> "2s");
    }

    @Test
    void aJobOutlivesAnOutageLongerThanTheRetryAndIsReattachedWhenTheDatabaseAnswers() throws Exception {
        long id = OUTAGE.startTalker(api);

        OUTAGE.takeAway(() -> {
            // Not a fixed pause: the outage lasts until the server has given up on the database and let go.
            await("the server let go of the job, the database still away").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(100)).until(() -> DatabaseOutage.jobsLetGo(meters) >= 1 && OUTAGE.talkerPrintedAll());
            // Each waits out the retry (2 s) first: the outage lasts several times the retry.
            for (int request = 0; request < 2; request++) {
                client.get().uri("/api/jobs/{id}", id).exchange()
                        .expectStatus().isEqualTo(503)
                        .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                        .expectBody().jsonPath("$.type").value(String.class,
                                type -> assertThat(type).endsWith("/database-unavailable"));
            }
        });

        long prompt = api.awaitPrompt(id).get("id").asLong();
        api.answer(id, prompt, "y").expectStatus().isOk();
        JsonNode job = await("the job's end is recorded").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> api.job(id), j -> !List.of("running", "awaiting-input").contains(j.get("state").asString()));
        assertThat(job.get("state").asString()).isEqualTo("succeeded");
        assertThat(job.get("exitCode").asInt()).isZero();
        List<String> texts = Api.getLarge("http://127.0.0.1:" + port + "/api/jobs/" + id + "/log?from=1")
                .get("lines").findValuesAsString("text");
        assertThat(texts.stream().filter(text -> text.startsWith("line ")).toList()).as("every line, in order, once")
                .containsExactlyElementsOf(DatabaseOutage.talkerLines());
        assertThat(texts.stream().filter(text -> text.contains("re-attached to it when the database answered")))
                .as("the log says the database was away").hasSize(1);
        assertThat(texts.indexOf("line " + BEFORE)).isLessThan(texts.indexOf("line " + LINES));
        assertThat(texts.get(texts.size() - 1)).isEqualTo("got y");
    }
}
