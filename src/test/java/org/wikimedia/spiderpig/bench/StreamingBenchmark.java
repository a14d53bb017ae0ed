package org.wikimedia.spiderpig.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.wikimedia.spiderpig.SpiderPigApplication;
import org.wikimedia.spiderpig.support.TestScripts;

/**
 * End-to-end streaming figures for docs/benchmarks/streaming.md: a real server, a real subprocess, a
 * client reading {@code /api/jobs/{id}/events} as {@code curl -N} does. Skipped unless
 * {@code -Dspiderpig.benchmark=true}, which {@code mvn -Pbench} sets:
 *
 * <pre>
 * mvn -B -Pbench -Dfrontend.skip verify -Dtest=StreamingBenchmark 2>&1 | grep BENCH
 * </pre>
 *
 * <p>{@code -Dspiderpig.bench.spare=false} runs the server without a spare supervisor, for comparison.
 */
class StreamingBenchmark {

    private static final String TICK_TEXT = "\"text\":\"tick ";
    private static final String TS_TEXT = "\"ts\":\"";
    private static final String CPU_TEXT = "\"text\":\"cpu ";
    /** USER_HZ of /proc/self/stat's times: 100 on every Linux this runs on. */
    private static final long CLOCK_TICKS = 100;
    /** Per line: written → logged (the event's ts) and logged → read by the client, in µs. */
    private static final List<long[]> STAGES = new ArrayList<>();
    private static final int LATENCY_LINES = 10_000;
    private static final int LATENCY_RATE = 1_000;
    private static final int THROUGHPUT_LINES = 200_000;
    /** {@code -Dspiderpig.bench.spare=false}: no spare supervisor, every job waits for its supervisor's start. */
    private static final boolean SPARE = Boolean.parseBoolean(System.getProperty("spiderpig.bench.spare", "true"));

    @Test
    void lineLatencyAndThroughputThroughSse() throws Exception {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        Path data = TestScripts.tempDirectory("spiderpig-bench");
        List<String> ticker = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LineTicker.class.getName());
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(SpiderPigApplication.class).run(
                "--server.port=0", "--spiderpig.data-dir=" + data, "--logging.level.root=WARN",
                "--spiderpig.jobs.paced.command=" + String.join(",", ticker) + "," + LATENCY_LINES + "," + LATENCY_RATE,
                "--spiderpig.jobs.paced.validator=none",
                "--spiderpig.jobs.flood.command=" + String.join(",", ticker) + "," + THROUGHPUT_LINES + ",0,cpu",
                "--spiderpig.jobs.flood.validator=none", "--spiderpig.runner.spare-supervisor=" + SPARE)) {
            String base = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");

            // A first flood warms the server's JIT up; it is not measured.
            read(base, start(base, "flood"), false, data).awaitSupervisor();
            // As on a server that has been idle for a second: the spare supervisor the next job is handed to has
            // started and waits (the supervisor's JVM start is then not part of a job's time; its successor's is).
            boolean spareReady = awaitReadySpare(data);
            // Throughput: as fast as the subprocess can write, versus the same output into a pipe to cat.
            long[] cpuBefore = cpuNanos();
            long begin = System.nanoTime();
            Reading flood = read(base, start(base, "flood"), false, data);
            long end = System.nanoTime();
            double sseSeconds = (end - begin) / 1e9;
            flood.awaitSupervisor();
            long[] cpuAfter = cpuNanos();
            double serverCpu = (cpuAfter[0] - cpuBefore[0] - (cpuAfter[1] - cpuBefore[1])) / 1e9;
            double supervisorCpu = (cpuAfter[2] - cpuBefore[2] - flood.tickerCpuNanos()) / 1e9;
            double catSeconds = pipedToCat(ticker);
            STAGES.clear();
            // Latency: lines written at 1,000/s; the client sees each as soon as the server sends it.
            long[] latencies = read(base, start(base, "paced"), true, data).latencies();
            Arrays.sort(latencies);
            long[] toLog = STAGES.stream().mapToLong(stage -> stage[0]).sorted().toArray();
            long[] toClient = STAGES.stream().mapToLong(stage -> stage[1]).sorted().toArray();

            assertThat(flood.latencies()).hasSize(THROUGHPUT_LINES);
            String report = String.format(Locale.ROOT, """
                    BENCH line latency at %d lines/s, %d lines, one SSE client: p50 %.1f ms, p99 %.1f ms, max %.1f ms
                    BENCH   of which written to logged: p50 %.1f ms, p99 %.1f ms; logged to read: p50 %.1f ms, p99 %.1f ms
                    BENCH throughput, %d lines: through SpiderPig to one SSE client %.0f lines/s; piped to cat %.0f lines/s; ratio %.0f%%
                    BENCH   first line read after %.0f ms, last after %.0f ms, the stream's end after %.0f ms
                    BENCH   CPU per million lines: server %.2f s (less the benchmark's client threads), supervisor %.2f s (less the command's own)
                    BENCH   handed to a ready spare supervisor: %s
                    BENCH   load average %s
                    """,
                    LATENCY_RATE, LATENCY_LINES, percentile(latencies, 50), percentile(latencies, 99),
                    latencies[latencies.length - 1] / 1000.0,
                    percentile(toLog, 50), percentile(toLog, 99), percentile(toClient, 50), percentile(toClient, 99),
                    THROUGHPUT_LINES, THROUGHPUT_LINES / sseSeconds, THROUGHPUT_LINES / catSeconds,
                    100 * catSeconds / sseSeconds,
                    (flood.firstTickNanos() - begin) / 1e6, (flood.lastTickNanos() - begin) / 1e6, (end - begin) / 1e6,
                    serverCpu * 1e6 / THROUGHPUT_LINES, supervisorCpu * 1e6 / THROUGHPUT_LINES, spareReady,
                    Files.readString(Path.of("/proc/loadavg")).strip());
            System.out.print(report);
        }
    }

    private static long start(String base, String type) throws Exception {
        String body = "{\"command\":\"" + type + "\",\"parameters\":{}}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "/api/jobs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(response.body());
        assertThat(id.find()).as(response.body()).isTrue();
        return Long.parseLong(id.group(1));
    }

    /**
     * One job's stream as the client read it: for each tick line, the time it was read minus the time it
     * was written (µs); when the first and the last tick were read ({@link System#nanoTime()}); the CPU
     * time the command reported for itself; and its supervisor's pid.
     */
    private record Reading(long[] latencies, long firstTickNanos, long lastTickNanos, long tickerCpuNanos,
                           long supervisorPid) {

        /** Its supervisor has exited and been reaped, so its CPU time counts among this JVM's children's. */
        void awaitSupervisor() throws Exception {
            Optional<ProcessHandle> supervisor = ProcessHandle.of(supervisorPid);
            if (supervisor.isPresent()) {
                supervisor.get().onExit().get(60, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Reads the job's stream to its end; for each tick line, now minus the time it was written, in µs
     * (and, with {@code recordStages}, the split at the time the log gave it in {@link #STAGES}).
     */
    private static Reading read(String base, long job, boolean recordStages, Path data) throws Exception {
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + job + "/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<Long> result = new ArrayList<>();
        long firstTick = 0;
        long lastTick = 0;
        long tickerCpu = 0;
        long supervisorPid = -1;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                // Plain index arithmetic, not regular expressions: this client shares the 2 cores with the
                // server, and what it spends per line is taken from the server's throughput.
                int tick = line.startsWith("data:") ? line.indexOf(TICK_TEXT) : -1;
                if (tick >= 0) {
                    lastTick = System.nanoTime();
                    if (firstTick == 0) {
                        firstTick = lastTick;
                        supervisorPid = supervisorPid(data, job);
                    }
                    long read = micros(Instant.now());
                    int writtenAt = line.indexOf(' ', tick + TICK_TEXT.length()) + 1;
                    long written = Long.parseLong(line, writtenAt, line.indexOf('"', writtenAt), 10);
                    result.add(read - written);
                    if (recordStages) {
                        int tsAt = line.indexOf(TS_TEXT) + TS_TEXT.length();
                        long logged = micros(Instant.parse(line.substring(tsAt, line.indexOf('"', tsAt))));
                        STAGES.add(new long[] {logged - written, read - logged});
                    }
                } else if (line.startsWith("data:") && line.contains(CPU_TEXT)) {
                    int cpuAt = line.indexOf(CPU_TEXT) + CPU_TEXT.length();
                    tickerCpu = Long.parseLong(line, cpuAt, line.indexOf('"', cpuAt), 10);
                }
            }
        }
        return new Reading(result.stream().mapToLong(Long::longValue).toArray(), firstTick, lastTick, tickerCpu,
                supervisorPid);
    }

    /** Waits for a spare supervisor to be ready, if the server keeps one. */
    private static boolean awaitReadySpare(Path data) {
        if (!SPARE) {
            return false;
        }
        Path supervisors = data.resolve("supervisors");
        await("a ready spare supervisor").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (var children = Files.list(supervisors)) {
                return children.anyMatch(child -> child.getFileName().toString().startsWith("spare-")
                        && Files.exists(child.resolve("ready")));
            }
        });
        return true;
    }

    /** While the job runs, its supervisor's files say who it is (see SupervisorFiles). */
    private static long supervisorPid(Path data, long job) throws Exception {
        String pidAndStart = Files.readString(data.resolve("supervisors").resolve(Long.toString(job)).resolve("supervisor"));
        return Long.parseLong(pidAndStart.strip().split(" ")[0]);
    }

    /**
     * This JVM's CPU time, that of the benchmark's own client threads in it (this one and the HTTP client's),
     * and that of its children that have been reaped (supervisors, and the commands under them), in ns.
     */
    private static long[] cpuNanos() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long client = threads.getCurrentThreadCpuTime();
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().startsWith("HttpClient-")) {
                client += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long children = (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * (1_000_000_000L / CLOCK_TICKS);
        return new long[] {process, client, children};
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    private static double pipedToCat(List<String> ticker) throws Exception {
        String command = String.join(" ", ticker) + " " + THROUGHPUT_LINES + " 0 | cat > /dev/null";
        Instant begin = Instant.now();
        Process process = new ProcessBuilder("bash", "-c", command).inheritIO().start();
        assertThat(process.waitFor()).isZero();
        return Duration.between(begin, Instant.now()).toNanos() / 1e9;
    }

    private static double percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
    }
}
