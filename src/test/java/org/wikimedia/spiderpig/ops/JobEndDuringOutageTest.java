package org.wikimedia.spiderpig.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.store.StoreUnavailable;
import org.wikimedia.spiderpig.support.DatabaseOutage;
import org.wikimedia.spiderpig.support.Intercepted;
import org.wikimedia.spiderpig.support.Processes;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The database is away exactly while a job's end is recorded: its end and its prompt's closing fail with the
 * store's "unavailable" (as after {@code spiderpig.database.outage-retry}) until the test brings it back. The
 * server lets go of the job and re-attaches to it once the database answers, without a restart: the job ends with
 * its real exit code, its prompt closed, a cancelled one {@code cancelled}, and its group's next job runs.
 */
@ServerTest
// Imported, not only nested: the PostgreSQL run's subclass gets it too.
@Import(JobEndDuringOutageTest.DatabaseAwayAtTheEnd.class)
class JobEndDuringOutageTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-end-outage");
    /** The job whose end cannot be recorded; 0 for none. */
    private static final AtomicLong AWAY_FOR = new AtomicLong();
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", DATA::toString);
        // Its prompt stays open until the test lets it exit, with 3.
        TestScripts.jobType(registry, DATA, "asker", """
                echo $$ > "%1$s/$SPIDERPIG_JOB_ID.pid"
                printf "Proceed? [y/N] "
                while [ ! -e "%1$s/$SPIDERPIG_JOB_ID.exit" ]; do sleep 0.05; done
                exit 3
                """.formatted(DATA));
        TestScripts.jobType(registry, DATA, "sleeper", """
                echo $$ > "%s/$SPIDERPIG_JOB_ID.pid"
                exec sleep 600
                """.formatted(DATA));
        TestScripts.jobType(registry, DATA, "fine", "echo fine\n");
        for (String type : List.of("asker", "sleeper", "fine")) {
            registry.add("spiderpig.jobs." + type + ".concurrency-group", () -> "outage");
        }
    }

    @AfterEach
    void databaseBack() {
        AWAY_FOR.set(0);
    }

    /** The PostgreSQL run's job ids start again at 1: the SQLite run's files must not answer for its jobs. */
    @BeforeEach
    void forgetEarlierJobsFiles() throws IOException {
        try (var files = Files.list(DATA)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid") || f.toString().endsWith(".exit")).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void aJobWhoseEndCannotBeRecordedEndsWithItsExitCodeOnceTheDatabaseAnswers() throws IOException {
        long id = api.start("asker", Map.of()).get("id").asLong();
        long next = api.start("fine", Map.of()).get("id").asLong();
        api.awaitPrompt(id);
        double lettingGoBefore = DatabaseOutage.jobsLetGo(meters);

        AWAY_FOR.set(id);
        Files.writeString(DATA.resolve(id + ".exit"), "");
        await("the server let go of the job").atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> DatabaseOutage.jobsLetGo(meters) > lettingGoBefore);
        assertThat(api.job(id).get("state").asString()).as("its end not recorded yet").isEqualTo("awaiting-input");
        AWAY_FOR.set(0);

        JsonNode job = awaitEnd(id);
        assertThat(job.get("state").asString()).isEqualTo("failed");
        assertThat(job.get("exitCode").asInt()).isEqualTo(3);
        assertThat(job.get("pendingInteraction").isNull()).as("its prompt closed").isTrue();
        assertThat(api.awaitState(next, "succeeded").get("state").asString()).isEqualTo("succeeded");
        assertThat(api.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text"))
                .anyMatch(text -> text.contains("re-attached to it when the database answered"));
    }

    @Test
    void aCancelledJobWhoseEndCannotBeRecordedEndsCancelledOnceTheDatabaseAnswers() throws IOException {
        long id = api.start("sleeper", Map.of()).get("id").asLong();
        long next = api.start("fine", Map.of()).get("id").asLong();
        Path pidFile = DATA.resolve(id + ".pid");
        api.awaitJob(id, j -> Files.exists(pidFile) && pidFile.toFile().length() > 0, "its pid written");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        double lettingGoBefore = DatabaseOutage.jobsLetGo(meters);

        AWAY_FOR.set(id);
        client.post().uri("/api/jobs/{id}/cancel", id).exchange().expectStatus().isAccepted();
        await("the server let go of the job, its processes ended").atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> DatabaseOutage.jobsLetGo(meters) > lettingGoBefore && !Processes.running(pid));
        assertThat(api.job(id).get("state").asString()).as("its end not recorded yet").isEqualTo("running");
        AWAY_FOR.set(0);

        JsonNode job = awaitEnd(id);
        assertThat(job.get("state").asString()).isEqualTo("cancelled");
        assertThat(job.get("cancelledBy").asString()).isNotBlank();
        assertThat(api.awaitState(next, "succeeded").get("state").asString()).isEqualTo("succeeded");
    }

    private JsonNode awaitEnd(long id) {
        return await("the job's end is recorded").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> api.job(id), j -> !List.of("running", "awaiting-input").contains(j.get("state").asString()));
    }

    /** The server's job and prompt stores, whose end-of-job statements fail for {@link #AWAY_FOR}'s job. */
    @TestConfiguration
    static class DatabaseAwayAtTheEnd {

        @Bean
        static BeanPostProcessor endsCannotBeRecorded() {
            return Intercepted.beansOf(JobStore.class, store -> Intercepted.proxy(JobStore.class, store,
                    (method, args) -> away(method, args, "finish")));
        }

        @Bean
        static BeanPostProcessor promptsCannotBeClosed() {
            return Intercepted.beansOf(InteractionStore.class, store -> Intercepted.proxy(InteractionStore.class, store,
                    (method, args) -> away(method, args, "closePending")));
        }

        private static Object away(java.lang.reflect.Method method, Object[] args, String statement) {
            boolean hit = method.getName().equals(statement) && args != null && args[0] instanceof Long job
                    && job == AWAY_FOR.get();
            if (!hit) {
                return null;
            }
            StoreUnavailable away = new StoreUnavailable("injected: the database is away", null);
            return method.getReturnType() == Flux.class ? Flux.error(away) : Mono.error(away);
        }
    }
}
