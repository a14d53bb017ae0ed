package org.wikimedia.spiderpig.ops;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

/**
 * /actuator/health reports what readiness needs (database, data directory, job runner) and
 * /actuator/prometheus what a job, its prompt and its watchers did.
 */
@ServerTest
class HealthAndMetricsTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-metrics");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", DATA::toString);
        // Spring Boot's tests export no metrics unless asked.
        registry.add("management.prometheus.metrics.export.enabled", () -> "true");
        TestScripts.jobType(registry, DATA, "asking", """
                echo "first line"
                echo "to stderr" >&2
                printf "Proceed? [y/N] "
                read answer
                echo "got $answer"
                """);
    }

    @Test
    void readinessChecksTheDatabaseTheDataDirectoryAndTheJobRunner() {
        JsonNode readiness = api.get("/actuator/health/readiness");
        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        JsonNode components = readiness.get("components");
        assertThat(components.get("r2dbc").get("status").asString()).isEqualTo("UP");
        assertThat(components.get("dataDirectory").get("status").asString()).isEqualTo("UP");
        assertThat(components.get("dataDirectory").get("details").get("free").asLong()).isPositive();
        assertThat(components.get("jobRunner").get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/health/liveness").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void aJobItsPromptAndItsWatchersAreCounted() {
        long id = api.start("asking", Map.of()).get("id").asLong();
        Disposable watcher = WebClient.create("http://127.0.0.1:" + port).get().uri("/api/jobs/{id}/events", id)
                .retrieve().bodyToFlux(String.class).subscribe();
        try {
            long prompt = api.awaitPrompt(id).get("id").asLong();
            await("the watcher and the waiting job counted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                String scrape = scrape();
                return value(scrape, "spiderpig_sse_subscribers", "stream=\"job\"") == 1
                        && value(scrape, "spiderpig_jobs", "state=\"awaiting-input\"") == 1;
            });

            api.answer(id, prompt, "y").expectStatus().isOk();
            api.answer(id, prompt, "n").expectStatus().isEqualTo(409);
            api.awaitState(id, "succeeded");
        } finally {
            watcher.dispose();
        }

        await("the job's end and the watcher's leaving counted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            String scrape = scrape();
            return value(scrape, "spiderpig_job_duration_seconds_count", "outcome=\"succeeded\"") == 1
                    && value(scrape, "spiderpig_sse_subscribers", "stream=\"job\"") == 0
                    && value(scrape, "spiderpig_jobs", "state=\"awaiting-input\"") == 0;
        });
        String scrape = scrape();
        assertThat(value(scrape, "spiderpig_output_lines_total", "stream=\"stdout\"")).isGreaterThanOrEqualTo(2);
        assertThat(value(scrape, "spiderpig_output_lines_total", "stream=\"stderr\"")).isEqualTo(1);
        assertThat(value(scrape, "spiderpig_output_bytes_total", "stream=\"stderr\"")).isEqualTo("to stderr\n".length());
        assertThat(value(scrape, "spiderpig_prompt_wait_seconds_count", "")).isEqualTo(1);
        assertThat(value(scrape, "spiderpig_prompt_answers_refused_total", "reason=\"already-answered\"")).isEqualTo(1);
        assertThat(scrape).contains("spiderpig_queue_length").contains("process_start_time_seconds")
                .contains("disk_free_bytes");
        // the SQLite driver's own queue, read from its MXBean: this job's statements went through it
        assertThat(value(scrape, "spiderpig_sqlite_task_queue_seconds_count", "")).isGreaterThan(0);
        assertThat(value(scrape, "spiderpig_sqlite_task_queue_seconds_sum", "")).isGreaterThan(0);
        assertThat(value(scrape, "spiderpig_sqlite_readers", "")).isGreaterThan(0);
        assertThat(value(scrape, "spiderpig_sqlite_waiting", "for=\"writer\"")).isGreaterThanOrEqualTo(0);
        assertThat(scrape).contains("spiderpig_sqlite_reader_wait_seconds_count")
                .contains("spiderpig_sqlite_writer_wait_seconds_count").contains("spiderpig_sqlite_queued_tasks");
    }

    private String scrape() {
        return client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** The sample of that metric whose labels contain {@code label}; -1 when there is none. */
    private static double value(String scrape, String metric, String label) {
        Matcher sample = Pattern.compile("(?m)^" + metric + "\\{([^}]*)} (\\S+)$").matcher(scrape);
        while (sample.find()) {
            if (sample.group(1).contains(label)) {
                return Double.parseDouble(sample.group(2));
            }
        }
        return -1;
    }
}
