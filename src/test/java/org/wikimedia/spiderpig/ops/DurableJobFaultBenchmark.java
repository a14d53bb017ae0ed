package org.wikimedia.spiderpig.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The long version of {@link DurableJobFaultTest} (issue 12): the server is killed with SIGKILL 20 times
 * in a row at random moments of one job, and started again on the same data directory each time. Prints
 * the seed, the time it took and the job's figures. {@code mvn -B -Pbench -Dfrontend.skip verify
 * -Dtest=DurableJobFaultBenchmark 2>&1 | grep BENCH}
 */
class DurableJobFaultBenchmark {

    private static final int STOPS = Integer.getInteger("spiderpig.fault.stops", 20);

    @Test
    void aJobSurvivesTwentyKillsOfTheServer() {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        long seed = Long.getLong("spiderpig.fault.seed", System.nanoTime());
        long started = System.nanoTime();
        try (DurableJobScenario scenario = new DurableJobScenario("fault-long", STOPS + 1, 40, 0)) {
            JsonNode job = scenario.runThroughStops(DurableJobScenario.Stop.SIGKILL, STOPS, seed);
            assertThat(job.get("state").asString()).as("seed %d", seed).isEqualTo("succeeded");
            assertThat(job.get("exitCode").asInt()).isZero();
            long id = job.get("id").asLong();
            scenario.assertLinesExactlyOnce(id);
            scenario.assertEveryAnswerOnce();
            scenario.stop(DurableJobScenario.Stop.SIGTERM);
            scenario.assertDatabaseIntact();
            System.out.printf("BENCH durable-fault: %d SIGKILLs of the server (seed %d), %d lines exactly once,"
                            + " %d answers once, integrity ok, %.0f s%n", STOPS, seed, scenario.lines(), STOPS,
                    (System.nanoTime() - started) / 1e9);
        }
    }
}
