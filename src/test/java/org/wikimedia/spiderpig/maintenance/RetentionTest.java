package org.wikimedia.spiderpig.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.maintenance.RetentionReport.Reason;
import org.wikimedia.spiderpig.maintenance.RetentionReport.Removal;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Retention removes old finished jobs with their prompts and logs, keeps the newest, honours a log size cap oldest
 * first, and never touches a job that is not finished, even one that became live after it was chosen.
 */
@ServerTest
class RetentionTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-retention");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.retention.enabled", () -> "false");
        registry.add("spiderpig.retention.keep-newest", () -> "1");
    }

    @Autowired
    JobStore jobs;
    @Autowired
    InteractionStore interactions;
    @Autowired
    JobEventLogs logs;
    @Autowired
    DatabaseClient db;
    @Autowired
    MeterRegistry meters;

    private OldJobs old;
    private final Instant now = Instant.now();

    @BeforeEach
    void clearFinishedJobs() {
        old = new OldJobs(jobs, interactions, logs);
        old.clear();
    }

    @Test
    void oldFinishedJobsGoWithTheirLogsAndPromptsAndTheNewestStay() {
        List<Long> ancient = List.of(old.finished(days(100), 3), old.finished(days(95), 3), old.finished(days(91), 3),
                old.finished(days(91), 3));
        long recent = old.finished(days(1), 3);

        RetentionReport report = retention(new RetentionSettings(Duration.ofDays(90), 2, null), RetentionService.AfterSelection.NOTHING)
                .run().block(WAIT);

        assertThat(report.removed()).extracting(Removal::jobId).containsExactlyElementsOf(ancient.subList(0, 3));
        assertThat(report.removed()).extracting(Removal::reason).containsOnly(Reason.AGE);
        assertThat(report.removed()).allSatisfy(removal -> assertThat(removal.logBytes()).isPositive());
        for (long gone : ancient.subList(0, 3)) {
            client.get().uri("/api/jobs/{id}", gone).exchange().expectStatus().isNotFound();
            assertThat(logFiles(gone)).as("log files of job %d", gone).isEmpty();
            assertThat(interactions.forJob(gone).collectList().block(WAIT)).as("prompts of job %d", gone).isEmpty();
        }
        for (long kept : List.of(ancient.get(3), recent)) {
            assertThat(api.job(kept).get("lineCount").asLong()).isEqualTo(3);
            assertThat(logFiles(kept)).hasSize(3);
            assertThat(interactions.forJob(kept).collectList().block(WAIT)).hasSize(1);
        }
    }

    @Test
    void aLogSizeCapRemovesTheOldestFinishedJobsFirst() {
        List<Long> ids = List.of(old.finished(days(3), 50), old.finished(days(3), 50), old.finished(days(2), 50),
                old.finished(days(1), 50));
        Map<Long, Long> sizes = logs.sizesOnDisk().block(WAIT);
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        long cap = total - sizes.get(ids.get(0)) - 1;

        RetentionReport report = retention(new RetentionSettings(Duration.ofDays(90), 1, cap), RetentionService.AfterSelection.NOTHING)
                .run().block(WAIT);

        assertThat(report.removed()).extracting(Removal::jobId).containsExactly(ids.get(0), ids.get(1));
        assertThat(report.removed()).extracting(Removal::reason).containsOnly(Reason.LOG_SIZE);
        assertThat(report.logBytesBefore()).isEqualTo(total);
        assertThat(report.logBytesRemoved()).isEqualTo(sizes.get(ids.get(0)) + sizes.get(ids.get(1)));
        assertThat(logs.sizesOnDisk().block(WAIT).values().stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(cap);
        assertThat(logFiles(ids.get(2))).hasSize(3);
    }

    @Test
    void aJobThatIsLiveWhenItsTurnComesSurvivesWithItsLog() {
        List<Long> chosen = List.of(old.finished(days(100), 3), old.finished(days(100), 4), old.finished(days(100), 3));
        old.finished(days(1), 3);
        long revived = chosen.get(1);
        AtomicLong started = new AtomicLong();
        // Between the selection and the deletes: a new job starts and waits for an answer, and a chosen job is made
        // running again (as a later "retry" might), so only the delete's own condition can save it.
        RetentionService.AfterSelection meanwhile = selected -> Mono.fromRunnable(() -> {
                    assertThat(selected).containsExactlyElementsOf(chosen);
                    long id = api.startBackport("12345").get("id").asLong();
                    api.awaitPrompt(id);
                    started.set(id);
                })
                .subscribeOn(Schedulers.boundedElastic())
                .then(db.sql("UPDATE jobs SET state = 'running', finished_at = NULL WHERE id = :id")
                        .bind("id", revived).then());

        RetentionReport report = retention(new RetentionSettings(Duration.ofDays(90), 1, null), meanwhile).run().block(WAIT);

        assertThat(report.removed()).extracting(Removal::jobId).containsExactly(chosen.get(0), chosen.get(2));
        assertThat(report.spared()).containsExactly(revived);
        JsonNode survivor = api.job(revived);
        assertThat(survivor.get("state").asString()).isEqualTo("running");
        assertThat(survivor.get("lineCount").asLong()).isEqualTo(4);
        assertThat(api.get("/api/jobs/" + revived + "/log").get("lines").findValuesAsString("text"))
                .containsExactly("job " + revived + " line 1", "job " + revived + " line 2",
                        "job " + revived + " line 3", "job " + revived + " line 4");
        assertThat(interactions.forJob(revived).collectList().block(WAIT)).hasSize(1);
        JsonNode live = api.job(started.get());
        assertThat(live.get("state").asString()).isEqualTo("awaiting-input");
        assertThat(live.get("lineCount").asLong()).isPositive();
        // a job that ran has its spool marks beside its events, lines and index
        assertThat(logFiles(started.get())).extracting(file -> file.getFileName().toString())
                .containsExactlyInAnyOrder(started.get() + ".events", started.get() + ".lines", started.get() + ".index",
                        started.get() + ".marks");

        client.post().uri("/api/jobs/{id}/cancel", started.get()).exchange().expectStatus().isAccepted();
        api.awaitState(started.get(), "cancelled");
        db.sql("UPDATE jobs SET state = 'succeeded', finished_at = :at WHERE id = :id")
                .bind("at", days(100).toString()).bind("id", revived).then().block(WAIT);
    }

    @Test
    void theAdminApiListsWhatWouldGoThenRemovesItAndCountsBoth() {
        long first = old.finished(days(100), 2);
        long second = old.finished(days(100), 2);
        JsonNode dryRun = post("/api/admin/retention?dryRun=true");
        assertThat(dryRun.get("dryRun").asBoolean()).isTrue();
        assertThat(dryRun.get("removed").findValuesAsString("reason")).containsExactly("age");
        assertThat(dryRun.get("removed").get(0).get("jobId").asLong()).isEqualTo(first);
        assertThat(api.job(first).get("id").asLong()).isEqualTo(first);

        JsonNode run = post("/api/admin/retention");
        assertThat(run.get("dryRun").asBoolean()).isFalse();
        assertThat(run.get("removed").get(0).get("jobId").asLong()).isEqualTo(first);
        client.get().uri("/api/jobs/{id}", first).exchange().expectStatus().isNotFound();
        assertThat(api.job(second).get("id").asLong()).isEqualTo(second);

        JsonNode status = api.get("/api/admin/retention");
        assertThat(status.get("settings").get("keepNewest").asInt()).isEqualTo(1);
        assertThat(status.get("settings").get("scheduled").asBoolean()).isFalse();
        assertThat(status.get("counters").get("runs").asLong()).isPositive();
        assertThat(status.get("counters").get("dryRuns").asLong()).isPositive();
        assertThat(status.get("counters").get("jobsRemoved").asLong()).isPositive();
        assertThat(status.get("lastRun").get("removed").get(0).get("jobId").asLong()).isEqualTo(first);
        assertThat(meters.get("spiderpig.cleanup.deleted").tag("what", "jobs").functionCounter().count())
                .isEqualTo(status.get("counters").get("jobsRemoved").asDouble());
        assertThat(meters.get("spiderpig.cleanup.runs").tag("outcome", "dry-run").functionCounter().count())
                .isEqualTo(status.get("counters").get("dryRuns").asDouble());

        client.post().uri("/api/admin/retention?dryRun=maybe").exchange().expectStatus().isBadRequest()
                .expectHeader().contentType("application/problem+json");
    }

    private JsonNode post(String uri) {
        return Api.parse(new String(client.post().uri(uri).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private RetentionService retention(RetentionSettings settings, RetentionService.AfterSelection afterSelection) {
        return new RetentionService(jobs, logs, new MaintenanceLock(), settings, Clock.systemUTC(), afterSelection);
    }

    private Instant days(int ago) {
        return now.minus(Duration.ofDays(ago));
    }

    private static List<Path> logFiles(long jobId) {
        try (var files = Files.list(DATA.resolve("logs"))) {
            return files.filter(file -> file.getFileName().toString().startsWith(jobId + ".")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
