package org.wikimedia.spiderpig.runner;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.bench.LineTicker;
import org.wikimedia.spiderpig.supervisor.SupervisorCommand;
import org.wikimedia.spiderpig.support.TestScripts;

/**
 * The runner alone, without the web side: the same flood of {@link LineTicker} lines through the in-JVM pipes
 * ({@link SubprocessLauncher}) and through a supervisor and its spool ({@link SupervisedLauncher}), one after
 * the other, four rounds, so that both see the same load. Prints when the launch returned, when the first
 * line came, when the last event came, and this JVM's CPU time (for docs/benchmarks/streaming.md). Skipped
 * unless {@code -Dspiderpig.benchmark=true}:
 *
 * <pre>
 * mvn -B -Pbench -Dfrontend.skip verify -Dtest=SupervisedLaunchBenchmark 2>&1 | grep BENCH
 * </pre>
 */
class SupervisedLaunchBenchmark {

    @TempDir
    Path dir;

    @Test
    void pipesAgainstSupervisor() throws Exception {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        List<String> ticker = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LineTicker.class.getName(), "200000", "0");
        SupervisedLauncher supervised = new SupervisedLauncher(dir.resolve("s"), SupervisorCommand.forThisJvm());
        SubprocessLauncher piped = new SubprocessLauncher();
        long job = 1;
        for (int round = 0; round < 4; round++) {
            for (ProcessLauncher launcher : List.of(piped, supervised)) {
                var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = cpu.getProcessCpuTime();
                long t0 = System.nanoTime();
                JobProcess process = launcher.launch(TestScripts.spec(job++, dir, ticker)).block();
                long launched = System.nanoTime();
                AtomicLong first = new AtomicLong();
                AtomicLong lines = new AtomicLong();
                process.events().doOnNext(e -> {
                    RunnerEvent ev = e instanceof RunnerEvent.Marked m ? m.event() : e;
                    if (ev instanceof RunnerEvent.Output) {
                        if (lines.incrementAndGet() == 1) {
                            first.set(System.nanoTime());
                        }
                    }
                }).blockLast();
                long end = System.nanoTime();
                System.out.printf("BENCH %s: %d lines; launched after %.0f ms, first line after %.0f ms, end after %.0f ms; %.0f lines/s from the first; server CPU %.2f s; load %s%n",
                        launcher.getClass().getSimpleName(), lines.get(), (launched - t0) / 1e6, (first.get() - t0) / 1e6,
                        (end - t0) / 1e6, lines.get() / ((end - first.get()) / 1e9), (cpu.getProcessCpuTime() - cpu0) / 1e9,
                        java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip());
                process.discard();
            }
        }
        supervised.close();
        piped.close();
    }
}
