package org.wikimedia.spiderpig.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikimedia.spiderpig.support.Intercepted.proxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.support.Intercepted;
import org.wikimedia.spiderpig.support.Processes;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Failures injected at each stage of a running job's pipeline (the reader of its output, its event log's
 * writer, the database) end the job as {@code failed} with a reason naming what broke, end its process
 * group, and let the next job of its group run; a cancel of a job whose log stopped answering is answered
 * and ends it. (Failures of a log's writer, followers and file reads inside the log: EventLogFailureTest.)
 *
 * <p>The jobs print a marker line that the injected faults look for; each job writes its pid (also its
 * process group id) to a file first and then sleeps, so only SpiderPig ending its group ends it.
 */
@ServerTest
class PipelineFailureTest extends ServerTestSupport {

    private static final Path DATA = TestScripts.tempDirectory("spiderpig-pipeline-failure");
    /** Jobs whose log no longer answers: every append of theirs from the marker on never completes. */
    private static final Set<Long> WEDGED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean FAIL_NEXT_PROCESS_RECORD = new AtomicBoolean();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.runner.step-timeout", () -> "2s");
        for (String fault : new String[] {"pump", "log", "store", "wedge"}) {
            TestScripts.jobType(registry, DATA, fault, """
                    echo $$ > "%s/$SPIDERPIG_JOB_ID.pid"
                    echo "before the fault"
                    echo "FAULT:%s"
                    exec sleep 600
                    """.formatted(DATA, fault));
            registry.add("spiderpig.jobs." + fault + ".concurrency-group", () -> "faults");
            registry.add("spiderpig.jobs." + fault + ".interrupt-grace", () -> "1s");
            registry.add("spiderpig.jobs." + fault + ".terminate-grace", () -> "1s");
        }
        TestScripts.jobType(registry, DATA, "fine", "echo fine\n");
        registry.add("spiderpig.jobs.fine.concurrency-group", () -> "faults");
    }

    @BeforeEach
    void disarm() {
        FAIL_NEXT_PROCESS_RECORD.set(false);
    }

    @Test
    void anErrorOnTheReaderThreadFailsTheJobEndsItsGroupAndTheQueueMovesOn() throws Exception {
        assertFailsWithItsGroupEnded("pump", "stdout");
    }

    @Test
    void aFailedWriteOfTheLogFailsTheJobEndsItsGroupAndTheQueueMovesOn() throws Exception {
        assertFailsWithItsGroupEnded("log", "event log could not be written");
    }

    @Test
    void aDatabaseFailureWhileRunningFailsTheJobEndsItsGroupAndTheQueueMovesOn() throws Exception {
        FAIL_NEXT_PROCESS_RECORD.set(true);
        assertFailsWithItsGroupEnded("store", "OutOfMemoryError");
    }

    @Test
    void aCancelOfAJobWhoseLogStoppedAnsweringIsAnsweredAndEndsIt() throws Exception {
        long id = api.start("wedge", Map.of()).get("id").asLong();
        long next = api.start("fine", Map.of()).get("id").asLong();
        long pid = awaitPid(id);
        api.awaitJob(id, job -> WEDGED.contains(id), "its log wedged");

        // Recording the cancel cannot reach the log; the answer still comes once the step deadline passed.
        client.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/api/jobs/{id}/cancel", id).exchange().expectStatus().isAccepted();

        JsonNode job = api.awaitJob(id, j -> !j.get("state").asString().equals("running"), "the job ended");
        assertThat(job.get("state").asString()).isEqualTo("failed");
        assertThat(job.get("reason").asString()).contains("SpiderPig failed while running the job");
        assertThat(job.get("cancelledBy").asString()).isNotBlank();
        api.awaitJob(id, j -> !Processes.running(pid), "its process group ended");
        assertThat(api.awaitState(next, "succeeded")).isNotNull();
    }

    private void assertFailsWithItsGroupEnded(String fault, String reason) throws Exception {
        long id = api.start(fault, Map.of()).get("id").asLong();
        long next = api.start("fine", Map.of()).get("id").asLong();

        JsonNode job = api.awaitState(id, "failed");
        assertThat(job.get("reason").asString()).contains("SpiderPig failed while running the job").contains(reason);
        // A fault at the process's recording can fail the job before its command got to write its pid; then
        // there is no process of it to look for (the job is failed and the queue moves on, as asserted).
        Path pidFile = DATA.resolve(id + ".pid");
        if (!fault.equals("store") || Files.exists(pidFile)) {
            long pid = awaitPid(id);
            api.awaitJob(id, j -> !Processes.running(pid), "its process group ended");
        }
        assertThat(api.awaitState(next, "succeeded").get("state").asString()).isEqualTo("succeeded");
        assertThat(api.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text"))
                .anyMatch(text -> text.startsWith("[spiderpig] SpiderPig failed while running the job"));
    }

    private long awaitPid(long id) throws Exception {
        Path file = DATA.resolve(id + ".pid");
        api.awaitJob(id, job -> Files.exists(file) && file.toFile().length() > 0, "its pid written");
        return Long.parseLong(Files.readString(file).trim());
    }

    /** Wraps the job store and the event logs of the server under test in the faults above. */
    @TestConfiguration
    static class Faults {

        @Bean
        static BeanPostProcessor faultyStores() {
            return Intercepted.beansOf(JobStore.class, Faults::faultyStore);
        }

        @Bean
        static BeanPostProcessor faultyEventLogs() {
            return Intercepted.beansOf(JobEventLogs.class, Faults::faultyLogs);
        }

        private static JobStore faultyStore(JobStore store) {
            return proxy(JobStore.class, store, (method, args) -> method.getName().equals("recordProcess")
                    && FAIL_NEXT_PROCESS_RECORD.getAndSet(false)
                    ? Mono.error(new OutOfMemoryError("injected into the database")) : null);
        }

        private static JobEventLogs faultyLogs(JobEventLogs logs) {
            return proxy(JobEventLogs.class, logs, (method, args) -> method.getName().equals("forJob")
                    ? faultyLog(logs.forJob((Long) args[0])) : null);
        }

        private static JobEventLog faultyLog(JobEventLog log) {
            return proxy(JobEventLog.class, log, (method, args) -> {
                if (!method.getName().equals("append")) {
                    return null;
                }
                String text = args[0] instanceof OutputLine line ? line.text() : "";
                if (text.equals("FAULT:pump")) {
                    // Thrown on the job's stdout thread, which hands the line on: the shape of the OOM of issue #10.
                    throw new OutOfMemoryError("injected on the reader thread");
                }
                if (text.equals("FAULT:log")) {
                    return log.append((org.wikimedia.spiderpig.model.EventPayload) args[0]).then(Mono.error(new IllegalStateException(
                            "the event log of job " + log.jobId() + " could not be written: "
                                    + new OutOfMemoryError("injected into the writer"))));
                }
                if (text.equals("FAULT:wedge")) {
                    WEDGED.add(log.jobId());
                }
                return WEDGED.contains(log.jobId()) ? Mono.never() : null;
            });
        }
    }
}
