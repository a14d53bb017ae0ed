package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.supervisor.SupervisorCommand;
import org.wikimedia.spiderpig.supervisor.SupervisorFiles;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.core.publisher.Mono;

/**
 * What one job's supervisor costs (issue 12): N supervised jobs of a trivial command ({@code sleep}) are
 * started one after the other; for each, the time from launch to the command running and the CPU time
 * (user+sys, /proc/pid/stat) its supervisor used for that, which does not depend on the machine's load;
 * with all N running, each supervisor's VmRSS, VmHWM and PSS (/proc/pid/smaps_rollup). Median and max.
 *
 * <p>Four ways, alternated for {@code -Dspiderpig.supervisor.rounds} (2) rounds: from the server's executable
 * jar through Spring Boot's launcher (as before), from the supervisors' small jar, from it with its class
 * data archive, and that handed to a spare supervisor started ahead and ready (as now; its CPU time is then
 * what it used from being handed the job to the command running). {@code mvn -B -DskipTests -Dfrontend.skip package} first (it needs
 * {@code target/spiderpig.jar}, or {@code -Dspiderpig.jar=…}), then
 * {@code mvn -B -Pbench -Dfrontend.skip verify -Dtest=SupervisorCostBenchmark 2>&1 | grep BENCH};
 * {@code -Dspiderpig.supervisors=N} (10).
 */
class SupervisorCostBenchmark {

    private static final int SUPERVISORS = Integer.getInteger("spiderpig.supervisors", 10);
    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final int ROUNDS = Integer.getInteger("spiderpig.supervisor.rounds", 2);
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    @TempDir
    Path dir;

    @Test
    void supervisorCost() throws Exception {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        Path jar = Path.of(System.getProperty("spiderpig.jar", "target/spiderpig.jar")).toAbsolutePath();
        assumeTrue(SupervisorCommand.isExecutableJar(jar.toString()), "build " + jar + " first");
        System.out.printf("BENCH supervisor: %d supervisors of `sleep`, one after the other, from %s%n", SUPERVISORS, jar);
        long prepared = System.nanoTime();
        List<String> now = SupervisorCommand.fromSmallJar(jar, dir.resolve("supervisor-jvm"));
        System.out.printf("BENCH supervisor: small jar and class data archive made in %d ms (once per version)%n",
                (System.nanoTime() - prepared) / 1_000_000);
        List<String> withoutArchive = now.stream().filter(option -> !option.startsWith("-XX:SharedArchiveFile")).toList();
        for (int round = 0; round < ROUNDS; round++) {
            measure("server jar (-jar … supervise)", SupervisorCommand.fromServerJar(jar), false, dir.resolve(round + "-before"));
            measure("small jar, no archive", withoutArchive, false, dir.resolve(round + "-small"));
            measure("small jar + CDS archive", now, false, dir.resolve(round + "-cds"));
            measure("small jar + CDS archive, spare started ahead", now, true, dir.resolve(round + "-spare"));
        }
    }

    private void measure(String options, List<String> command, boolean spare, Path directory) throws Exception {
        Path script = TestScripts.write(directory, "trivial.sh", "exec sleep 600\n");
        List<Sample> samples = new ArrayList<>();
        List<JobProcess> processes = new ArrayList<>();
        try (SupervisedLauncher launcher = new SupervisedLauncher(directory.resolve("supervisors"), command, spare)) {
            try {
                for (int i = 1; i <= SUPERVISORS; i++) {
                    long cpuBefore = spare ? cpuMillis(awaitReadySpare(launcher, directory.resolve("supervisors"))) : 0;
                    long started = System.nanoTime();
                    JobProcess process = launcher.launch(TestScripts.spec(i, script)).block(DEADLINE);
                    long launchMicros = (System.nanoTime() - started) / 1000;
                    processes.add(process);
                    long pid = supervisorPid(new SupervisorFiles(directory.resolve("supervisors/" + i)));
                    samples.add(new Sample(pid, launchMicros, cpuMillis(pid) - cpuBefore));
                }
                for (Sample sample : samples) {
                    sample.memory(status(sample.pid, "VmRSS:"), status(sample.pid, "VmHWM:"), pss(sample.pid));
                }
            } finally {
                for (JobProcess process : processes) {
                    process.cancel(signal -> Mono.empty()).block(DEADLINE);
                    process.discard();
                }
            }
        }
        System.out.printf("BENCH supervisor [%s]: launch to command running median %d ms, max %d ms;"
                        + " CPU (user+sys) of its start median %d ms, max %d ms%n", options,
                median(samples, s -> s.launchMicros) / 1000, max(samples, s -> s.launchMicros) / 1000,
                median(samples, s -> s.cpuMillis), max(samples, s -> s.cpuMillis));
        System.out.printf("BENCH supervisor [%s]: VmRSS median %.1f MiB, max %.1f; VmHWM median %.1f MiB, max %.1f;"
                        + " PSS median %s MiB, max %s%n", options,
                median(samples, s -> s.rssKib) / 1024.0, max(samples, s -> s.rssKib) / 1024.0,
                median(samples, s -> s.hwmKib) / 1024.0, max(samples, s -> s.hwmKib) / 1024.0,
                samples.get(0).pssKib < 0 ? "n/a" : String.format("%.1f", median(samples, s -> s.pssKib) / 1024.0),
                samples.get(0).pssKib < 0 ? "n/a" : String.format("%.1f", max(samples, s -> s.pssKib) / 1024.0));
        assertThat(samples).hasSize(SUPERVISORS);
    }

    private static final class Sample {
        final long pid;
        final long launchMicros;
        final long cpuMillis;
        long rssKib;
        long hwmKib;
        long pssKib;

        Sample(long pid, long launchMicros, long cpuMillis) {
            this.pid = pid;
            this.launchMicros = launchMicros;
            this.cpuMillis = cpuMillis;
        }

        void memory(long rss, long hwm, long pss) {
            rssKib = rss;
            hwmKib = hwm;
            pssKib = pss;
        }
    }

    /** The spare's pid, once it has warmed up and waits for its job. */
    private static long awaitReadySpare(SupervisedLauncher launcher, Path supervisors) {
        launcher.startSpare();
        return await("a ready spare").atMost(DEADLINE).until(() -> launcher.spare()
                .filter(spare -> readySpares(supervisors) > 0), java.util.Optional::isPresent).orElseThrow().pid();
    }

    private static long readySpares(Path supervisors) {
        try (var children = Files.list(supervisors)) {
            return children.filter(child -> child.getFileName().toString().startsWith("spare-")
                    && Files.exists(new SupervisorFiles(child).ready())).count();
        } catch (IOException e) {
            return 0; // not made yet
        }
    }

    private static long supervisorPid(SupervisorFiles files) throws IOException {
        return Long.parseLong(Files.readString(files.supervisor(), StandardCharsets.UTF_8).strip().split(" ")[0]);
    }

    /** utime + stime, fields 14 and 15 of /proc/pid/stat (after the command name in parentheses). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    private static long status(long pid, String field) throws IOException {
        return kib(Path.of("/proc", Long.toString(pid), "status"), field);
    }

    /** -1 when smaps_rollup cannot be read (an older kernel, or not permitted). */
    private static long pss(long pid) {
        try {
            return kib(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long kib(Path file, String field) throws IOException {
        return Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream()
                .filter(line -> line.startsWith(field)).findFirst()
                .map(line -> Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]))
                .orElseThrow(() -> new IOException(field + " not in " + file));
    }

    private static long median(List<Sample> samples, ToLongFunction<Sample> value) {
        long[] values = samples.stream().mapToLong(value).sorted().toArray();
        return values[values.length / 2];
    }

    private static long max(List<Sample> samples, ToLongFunction<Sample> value) {
        return samples.stream().mapToLong(value).max().orElse(0);
    }
}
