package org.wikimedia.spiderpig.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.OnPostgresql;
import org.wikimedia.spiderpig.support.PostgresServerDatabase;
import org.wikimedia.spiderpig.support.PostgresTestDatabase;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL's connections are ended while a request's statement runs (it waits for a lock the test holds): a
 * read is sent again and the request answers as if nothing happened; a job's creation (an INSERT with a generated
 * id) is not, and the request gets a 503 with a retry hint, no job created.
 */
@ServerTest
@OnPostgresql
class StatementCutOffTest extends ServerTestSupport {

    static final java.nio.file.Path DATA = TestScripts.tempDirectory("spiderpig-cut-off");
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestScripts.jobType(registry, DATA, "hello", "echo hello\n");
        registry.add("spiderpig.data-dir", DATA::toString);
    }

    @Test
    void aReadCutOffMidFlightIsSentAgain() {
        long id = api.start("hello", Map.of()).get("id").asLong();
        api.awaitState(id, "succeeded");
        PostgresTestDatabase database = PostgresServerDatabase.current();

        database.holdLock("jobs", "ACCESS EXCLUSIVE");
        CompletableFuture<EntityExchangeResult<byte[]>> read = CompletableFuture.supplyAsync(
                () -> client.get().uri("/api/jobs/{id}", id).exchange().expectBody().returnResult());
        cutOffOnceWaiting(database);

        EntityExchangeResult<byte[]> answer = read.join();
        assertThat(answer.getStatus().value()).isEqualTo(200);
        assertThat(Api.parse(new String(answer.getResponseBody(), StandardCharsets.UTF_8)).get("id").asLong())
                .isEqualTo(id);
    }

    @Test
    void aJobsCreationCutOffMidFlightIsA503AndNoJob() {
        long before = jobCount();
        PostgresTestDatabase database = PostgresServerDatabase.current();

        // Reads of the jobs go on; the INSERT waits.
        database.holdLock("jobs", "EXCLUSIVE");
        CompletableFuture<EntityExchangeResult<byte[]>> start = CompletableFuture.supplyAsync(
                () -> client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("command", "hello", "parameters", Map.of()))
                        .exchange().expectBody().returnResult());
        cutOffOnceWaiting(database);

        EntityExchangeResult<byte[]> answer = start.join();
        assertThat(answer.getStatus().value()).isEqualTo(503);
        assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        JsonNode problem = Api.parse(new String(answer.getResponseBody(), StandardCharsets.UTF_8));
        assertThat(problem.get("type").asString()).endsWith("/database-unavailable");
        assertThat(problem.get("retryAfter").asLong()).isPositive();
        assertThat(jobCount()).as("no job created").isEqualTo(before);
    }

    private void cutOffOnceWaiting(PostgresTestDatabase database) {
        await("the request's statement waits for the lock").atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> database.waitingForLocks() >= 1);
        database.endClientConnections();
    }

    private long jobCount() {
        return api.get("/api/jobs?limit=100").get("jobs").size();
    }
}
