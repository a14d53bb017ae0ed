package org.wikimedia.spiderpig.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.wikimedia.spiderpig.support.DatabaseOutage.PATIENCE;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
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
 * PostgreSQL goes away while a job runs (its connections ended, new ones refused) and comes back: the job, which
 * goes on under its supervisor, keeps every line in order, once, and ends in its real state; meanwhile the health
 * check says the database is down.
 */
@ServerTest
@OnPostgresql
class DatabaseOutageTest extends ServerTestSupport {

    static final java.nio.file.Path DATA = TestScripts.tempDirectory("spiderpig-outage");
    private static final DatabaseOutage OUTAGE = new DatabaseOutage(DATA);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // The job prints its second part (and ends) only once the test has taken the database away.
        OUTAGE.registerTalker(registry, DATA, "");
        registry.add("spiderpig.data-dir", DATA::toString);
        // Longer than the default, so that a very slow machine's outage still is a short one to the server.
        registry.add("spiderpig.database.outage-retry", () -> "5m");
    }

    @Test
    void aJobKeepsItsLinesAndItsEndThroughAnOutageOfTheDatabase() throws Exception {
        long id = OUTAGE.startTalker(api);

        OUTAGE.takeAway(() -> {
            await("the health check sees the database down").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> "DOWN".equals(r2dbcHealth()));
            await("the job printed the rest and ended, the database still down").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(50)).until(OUTAGE::talkerPrintedAll);
            assertThat(r2dbcHealth()).isEqualTo("DOWN");
        });

        JsonNode job = await("the job's end is recorded").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> api.job(id), j -> !"running".equals(j.get("state").asString()));
        assertThat(job.get("state").asString()).isEqualTo("succeeded");
        assertThat(job.get("exitCode").asInt()).isZero();
        List<String> texts = Api.getLarge("http://127.0.0.1:" + port + "/api/jobs/" + id + "/log?from=1")
                .get("lines").findValuesAsString("text");
        assertThat(texts).as("every line, in order, once").containsExactlyElementsOf(DatabaseOutage.talkerLines());
        await("the health check sees the database again").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> "UP".equals(r2dbcHealth()));
    }

    private String r2dbcHealth() {
        byte[] body = client.get().uri("/actuator/health").exchange().expectBody().returnResult().getResponseBody();
        return Api.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                .get("components").get("r2dbc").get("status").asString();
    }
}
