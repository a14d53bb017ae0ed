package org.wikimedia.spiderpig.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.wikimedia.spiderpig.simulator.SelfCommand;

/**
 * How many output lines a second one job's runner turns into events: runs {@code simulate flood <lines>}
 * through the launcher with an unbounded consumer. Not a test; run by hand (see docs/benchmarks/runner.md).
 */
public final class RunnerThroughputBenchmark {

    public static void main(String[] args) {
        long lines = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (SubprocessLauncher launcher = new SubprocessLauncher()) {
            for (int round = 1; round <= rounds; round++) {
                LaunchSpec spec = new LaunchSpec(round, SelfCommand.expand(List.of("@simulator", "flood", Long.toString(lines))),
                        Path.of("."), Map.of(), LaunchSpec.newIoKey(), List.of(), LaunchSpec.DEFAULT_PROMPT_IDLE,
                        LaunchSpec.DEFAULT_MAX_LINE_BYTES, Duration.ofSeconds(1), Duration.ofSeconds(1));
                AtomicLong count = new AtomicLong();
                long start = System.nanoTime();
                JobProcess process = launcher.launch(spec).block();
                RunnerEvent last = process.events().doOnNext(e -> count.incrementAndGet()).blockLast();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("round %d: %d events in %.2f s (including JVM start of the command) = %.0f lines/s; %s%n",
                        round, count.get(), seconds, (count.get() - 1) / seconds, last);
            }
        }
    }
}
