package org.wikimedia.spiderpig.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.support.Api;
import tools.jackson.databind.JsonNode;

/**
 * Durable jobs (issue 12): a job runs to its own end whatever happens to the server. The server, in a JVM
 * of its own, is killed or stopped at random moments and started again on the same data directory; the
 * job's log ends up holding each of its lines once, in order, and each answer reaches it once. The long
 * version (20 stops) is {@code DurableJobFaultBenchmark}.
 */
class DurableJobFaultTest {

    private static final Duration LONG = Duration.ofSeconds(240);

    @Test
    void aJobSurvivesTheServerBeingKilledAtRandomMoments() {
        long seed = System.nanoTime();
        try (DurableJobScenario scenario = new DurableJobScenario("sigkill", 4, 30, 0)) {
            JsonNode job = scenario.runThroughStops(DurableJobScenario.Stop.SIGKILL, 3, seed);
            assertThat(job.get("state").asString()).as("seed %d", seed).isEqualTo("succeeded");
            assertThat(job.get("exitCode").asInt()).isZero();
            scenario.assertLinesExactlyOnce(job.get("id").asLong());
            scenario.assertEveryAnswerOnce();
            scenario.stop(DurableJobScenario.Stop.SIGTERM);
            scenario.assertDatabaseIntact();
        }
    }

    @Test
    void aJobSurvivesGracefulStops() {
        long seed = System.nanoTime();
        try (DurableJobScenario scenario = new DurableJobScenario("sigterm", 3, 30, 0)) {
            JsonNode job = scenario.runThroughStops(DurableJobScenario.Stop.SIGTERM, 2, seed);
            assertThat(job.get("state").asString()).as("seed %d", seed).isEqualTo("succeeded");
            scenario.assertLinesExactlyOnce(job.get("id").asLong());
            scenario.assertEveryAnswerOnce();
            scenario.stop(DurableJobScenario.Stop.SIGTERM);
            scenario.assertDatabaseIntact();
        }
    }

    @Test
    void aJobThatEndsWhileNoServerRunsGetsItsRealExitCode() {
        try (DurableJobScenario scenario = new DurableJobScenario("ended-while-down", 1, 60, 3)) {
            Api api = scenario.start();
            long id = scenario.startJob(api);
            DurableJobScenario.awaitProgress(api, id, 5);
            scenario.stop(DurableJobScenario.Stop.SIGKILL);
            await("the job's command ends while no server runs").atMost(LONG).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.exists(scenario.supervisorDirectory(id).resolve("exit")));

            api = scenario.start();
            JsonNode job = api.awaitJob(id, j -> !j.get("finishedAt").isNull(), "ended");
            assertThat(job.get("state").asString()).isEqualTo("failed");
            assertThat(job.get("exitCode").asInt()).isEqualTo(3);
            scenario.assertLinesExactlyOnce(id);
        }
    }

    @Test
    void aJobWhoseSupervisorIsKilledTooIsInterruptedAndNothingOfItIsLeft() throws Exception {
        try (DurableJobScenario scenario = new DurableJobScenario("supervisor-killed", 2, 20, 0)) {
            Api api = scenario.start();
            long id = scenario.startJob(api);
            JsonNode prompt = api.awaitPrompt(id);
            long pgid = Long.parseLong(Files.readString(scenario.supervisorDirectory(id).resolve("started"))
                    .strip().substring("ok ".length()));
            scenario.stop(DurableJobScenario.Stop.SIGKILL);
            long supervisor = Long.parseLong(Files.readString(scenario.supervisorDirectory(id).resolve("supervisor"))
                    .strip().split(" ")[0]);
            ProcessHandle.of(supervisor).ifPresent(ProcessHandle::destroyForcibly);
            await("the supervisor is gone").atMost(LONG).until(() -> DurableJobScenario.gone(supervisor));

            api = scenario.start();
            JsonNode job = api.awaitJob(id, j -> !j.get("finishedAt").isNull(), "ended");
            assertThat(job.get("state").asString()).isEqualTo("interrupted");
            assertThat(job.get("reason").asString()).contains("supervising process");
            await("nothing of the job is left").atMost(LONG).until(() -> DurableJobScenario.gone(pgid));
            api.answer(id, prompt.get("id").asLong(), "y").expectStatus().isEqualTo(409);
            java.util.List<String> texts = api.get("/api/jobs/" + id + "/log").get("lines").findValuesAsString("text");
            assertThat(texts).contains("line 20");
            assertThat(texts.get(texts.size() - 1)).contains("supervising process");
        }
    }
}
