package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.simulator.SelfCommand;

/**
 * How many output lines a second one job's runner turns into events, for docs/benchmarks/runner.md: runs
 * {@code simulate flood <lines>} through the launcher with an unbounded consumer. Skipped unless
 * {@code -Dspiderpig.benchmark=true} (set by {@code mvn -Pbench}); {@code -Dspiderpig.benchmark.lines} and
 * {@code -Dspiderpig.benchmark.rounds} change its size.
 */
class RunnerThroughputBenchmark {

    private static final long LINES = Long.getLong("spiderpig.benchmark.lines", 1_000_000);
    private static final int ROUNDS = Integer.getInteger("spiderpig.benchmark.rounds", 3);

    @Test
    void linesPerSecondOfOneJob() {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        try (SubprocessLauncher launcher = new SubprocessLauncher()) {
            for (int round = 1; round <= ROUNDS; round++) {
                LaunchSpec spec = new LaunchSpec(round, SelfCommand.expand(List.of("@simulator", "flood", Long.toString(LINES))),
                        Path.of("."), Map.of(), LaunchSpec.newIoKey(), List.of(), LaunchSpec.DEFAULT_PROMPT_IDLE,
                        LaunchSpec.DEFAULT_MAX_LINE_BYTES, Duration.ofSeconds(1), Duration.ofSeconds(1));
                AtomicLong count = new AtomicLong();
                long start = System.nanoTime();
                JobProcess process = launcher.launch(spec).block();
                RunnerEvent last = process.events().doOnNext(e -> count.incrementAndGet()).blockLast();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("BENCH runner round %d: %d events in %.2f s (including JVM start of the command) = %.0f lines/s; %s%n",
                        round, count.get(), seconds, (count.get() - 1) / seconds, last);
                assertThat(count.get()).isEqualTo(LINES + 1);
            }
        }
    }
}
