package org.wikimedia.spiderpig.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.wikimedia.spiderpig.bench.ProcMemory.hwmKib;
import static org.wikimedia.spiderpig.bench.ProcMemory.rssKib;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.bench.ProcMemory.RssSampler;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.ServerProcess;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.netty.http.client.HttpClient;

/**
 * Many SSE subscribers on one job, for docs/benchmarks/fan-out.md: the server in a JVM of its own (so its
 * memory is its own), {@value #SUBSCRIBERS} clients following {@code /api/jobs/{id}/events}, then the
 * job prints {@value #LINES} lines at {@value #RATE} lines/s. Skipped unless
 * {@code -Dspiderpig.benchmark=true}, which {@code mvn -Pbench} sets:
 *
 * <pre>
 * mvn -B -Pbench -Dfrontend.skip verify -Dtest=FanOutBenchmark 2>&1 | grep BENCH
 * </pre>
 *
 * The clients are {@link FanOutClients}, a process of their own (the same for SpiderPig and the reference):
 * every client counts the tick lines it receives; every {@value #SAMPLE_EVERY}th also parses them and
 * records, per line, its read time minus the time the subprocess wrote into it.
 */
class FanOutBenchmark {

    private static final int SUBSCRIBERS = Integer.getInteger("spiderpig.benchmark.subscribers", 1_000);
    private static final int LINES = 10_000;
    private static final int WARMUP_LINES = 10_000;
    /** Unmeasured rounds before the measured one, for SpiderPig and the reference alike. */
    static final int WARMUP_ROUNDS = Integer.getInteger("spiderpig.benchmark.warmup-rounds", 2);
    private static final int RATE = 1_000;
    private static final int SAMPLE_EVERY = 50;
    private static final int IDLE_SUBSCRIBERS = Integer.getInteger("spiderpig.benchmark.idle-subscribers", 10_000);
    /** The pacing of a job's live streams given to SpiderPig (spiderpig.streams.fan-out-*) and to the reference. */
    private static final long FAN_OUT_WRITES = Long.getLong("spiderpig.benchmark.fan-out-writes", 40_000);
    private static final Duration FAN_OUT_MAX_INTERVAL = Duration.ofMillis(
            Long.getLong("spiderpig.benchmark.fan-out-max-interval-ms", 40));
    private static final int IDLE_LINES = 30;
    /** The clients' event-loop threads (in their own process): few, so that they stay cheap. */
    private static final int CLIENT_THREADS = Integer.getInteger("spiderpig.benchmark.client-threads", 2);
    /** The most clients between their connect and their stream's first bytes ({@link FanOutClients#CONNECTS_IN_FLIGHT}). */
    private static final int CONNECTS_IN_FLIGHT = Integer.getInteger(FanOutClients.CONNECTS_IN_FLIGHT, Integer.MAX_VALUE);

    @Test
    void everyLineReachesEverySubscriber() throws Exception {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        Path data = TestScripts.tempDirectory("spiderpig-fanout");
        List<String> jvmOptions = serverJvmOptions();
        String loadBefore = loadAverage();
        Round reference;
        List<Round> referenceWarmups = new ArrayList<>();
        try (NettyReferenceServer.Launched bare = NettyReferenceServer.Launched.start(data, LINES, RATE, pace(SUBSCRIBERS))) {
            reference = referenceRounds(bare, SUBSCRIBERS, SAMPLE_EVERY, LINES, referenceWarmups);
        }
        try (ServerProcess server = ServerProcess.start(data, jvmOptions, List.of("--logging.level.root=WARN",
                "--spiderpig.jobs.warmup.command=" + gatedTicker(data, WARMUP_LINES, RATE), "--spiderpig.jobs.warmup.validator=none",
                "--spiderpig.jobs.gated.command=" + gatedTicker(data, LINES, RATE), "--spiderpig.jobs.gated.validator=none",
                "--spiderpig.runner.prompt-idle=200ms",
                "--spiderpig.streams.fan-out-writes=" + FAN_OUT_WRITES,
                "--spiderpig.streams.fan-out-max-interval=" + FAN_OUT_MAX_INTERVAL.toMillis() + "ms"))) {
            long idleRss = rssKib(server.pid());
            // Unmeasured rounds warm the server's JIT up: a server runs for days, not seconds.
            List<Round> warmups = new ArrayList<>();
            for (int i = 0; i < WARMUP_ROUNDS; i++) {
                warmups.add(spiderPigRound(server, "warmup", SUBSCRIBERS, SAMPLE_EVERY, WARMUP_LINES));
            }
            Round measured = spiderPigRound(server, "gated", SUBSCRIBERS, SAMPLE_EVERY, LINES);

            System.out.printf(Locale.ROOT, """
                    BENCH fan-out: %d SSE subscribers, %d lines at %d lines/s (after %d warm-up rounds of %d lines), server JVM options %s, shared writes at most every %.1f ms
                    BENCH   load average before / after: %s / %s
                    BENCH   subscribers that received every line: %d of %d (%.1f s from the answer to the last end)
                    BENCH   line latency (written by the subprocess to read by a client, %d sampled subscribers): p50 %.1f ms, p99 %.1f ms, max %.1f ms
                    BENCH   server RSS: idle %d MiB, %d subscribers connected %d MiB, peak while streaming %d MiB (VmHWM %d MiB)
                    BENCH   CPU while streaming: server %.1f s, the benchmark's clients %.1f s (2 cores: %.1f s available)
                    BENCH   server CPU by thread: %s
                    BENCH   worst latency of the lines written in each second of the run: %s ms
                    BENCH   stages: %s
                    BENCH   JIT compiler threads' CPU by round (warm-up rounds, then the measured one): SpiderPig %s s, reference %s s
                    """,
                    SUBSCRIBERS, LINES, RATE, WARMUP_ROUNDS, WARMUP_LINES, jvmOptions.isEmpty() ? "(defaults)" : String.join(" ", jvmOptions),
                    pace(SUBSCRIBERS).toNanos() / 1e6,
                    loadBefore, loadAverage(),
                    measured.complete, SUBSCRIBERS, measured.seconds,
                    (SUBSCRIBERS + SAMPLE_EVERY - 1) / SAMPLE_EVERY, percentile(measured.latencies, 50),
                    percentile(measured.latencies, 99), percentile(measured.latencies, 100),
                    idleRss / 1024, SUBSCRIBERS, measured.connectedRssKib / 1024, measured.peakRssKib / 1024,
                    hwmKib(server.pid()) / 1024, measured.serverCpu, measured.clientCpu, 2 * measured.seconds,
                    measured.serverThreads, measured.worstBySecond,
                    measured.stages.summary(), compilerCpus(warmups, measured), compilerCpus(referenceWarmups, reference));
            printReference(reference, measured, SUBSCRIBERS);
            assertThat(reference.complete).isEqualTo(SUBSCRIBERS);
            assertThat(measured.complete).isEqualTo(SUBSCRIBERS);
        }
    }

    /**
     * Many connected, mostly idle clients: {@value #IDLE_SUBSCRIBERS} streams (or
     * {@code -Dspiderpig.benchmark.idle-subscribers}) on one job that prints a line a second.
     */
    @Test
    void manyIdleSubscribers() throws Exception {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        Path data = TestScripts.tempDirectory("spiderpig-fanout-idle");
        List<String> jvmOptions = serverJvmOptions();
        String loadBefore = loadAverage();
        Round reference;
        try (NettyReferenceServer.Launched bare = NettyReferenceServer.Launched.start(data, IDLE_LINES, 1, pace(IDLE_SUBSCRIBERS))) {
            reference = referenceRounds(bare, IDLE_SUBSCRIBERS, 1, IDLE_LINES, new ArrayList<>());
        }
        try (ServerProcess server = ServerProcess.start(data, jvmOptions, List.of("--logging.level.root=WARN",
                "--spiderpig.jobs.slow.command=" + gatedTicker(data, IDLE_LINES, 1), "--spiderpig.jobs.slow.validator=none",
                "--spiderpig.runner.prompt-idle=200ms",
                "--spiderpig.streams.fan-out-writes=" + FAN_OUT_WRITES,
                "--spiderpig.streams.fan-out-max-interval=" + FAN_OUT_MAX_INTERVAL.toMillis() + "ms"))) {
            long idleRss = rssKib(server.pid());
            Round measured = spiderPigRound(server, "slow", IDLE_SUBSCRIBERS, 1, IDLE_LINES);
            System.out.printf(Locale.ROOT, """
                    BENCH fan-out, idle clients: %d SSE subscribers, %d lines at 1 line/s, server JVM options %s
                    BENCH   load average before / after: %s / %s
                    BENCH   subscribers that received every line: %d of %d (%.1f s from the answer to the last end)
                    BENCH   line latency (all subscribers): p50 %.1f ms, p99 %.1f ms, max %.1f ms
                    BENCH   server RSS: idle %d MiB, %d subscribers connected %d MiB, peak while streaming %d MiB; open files %d
                    BENCH   CPU while streaming: server %.1f s, the benchmark's clients %.1f s
                    """,
                    IDLE_SUBSCRIBERS, IDLE_LINES, jvmOptions.isEmpty() ? "(defaults)" : String.join(" ", jvmOptions),
                    loadBefore, loadAverage(), measured.complete, IDLE_SUBSCRIBERS, measured.seconds,
                    percentile(measured.latencies, 50), percentile(measured.latencies, 99),
                    percentile(measured.latencies, 100), idleRss / 1024, IDLE_SUBSCRIBERS,
                    measured.connectedRssKib / 1024, measured.peakRssKib / 1024, measured.openFiles,
                    measured.serverCpu, measured.clientCpu);
            printReference(reference, measured, IDLE_SUBSCRIBERS);
            assertThat(reference.complete).isEqualTo(IDLE_SUBSCRIBERS);
            assertThat(measured.complete).isEqualTo(IDLE_SUBSCRIBERS);
        }
    }

    /** The least time between two shared writes SpiderPig's default settings give this many streams. */
    private static Duration pace(int subscribers) {
        Duration paced = Duration.ofNanos(subscribers * 1_000_000_000L / FAN_OUT_WRITES);
        return paced.compareTo(FAN_OUT_MAX_INTERVAL) < 0 ? paced : FAN_OUT_MAX_INTERVAL;
    }

    private static void printReference(Round reference, Round measured, int subscribers) {
        System.out.printf(Locale.ROOT, """
                BENCH   bare Netty reference server (paced alike: a write at most every %.1f ms), same clients and lines: %d of %d complete, p50 %.1f ms, p99 %.1f ms, \
                max %.1f ms, server CPU %.1f s, clients %.1f s, RSS peak %d MiB
                BENCH   reference server CPU by thread: %s
                BENCH   reference worst latency of the lines written in each second of the run: %s ms
                BENCH   reference stages: %s
                BENCH   clients that failed: SpiderPig %d%s, reference %d%s
                BENCH   SpiderPig / reference: p99 %.1f×, server CPU %.1f×
                """,
                pace(subscribers).toNanos() / 1e6, reference.complete, subscribers, percentile(reference.latencies, 50), percentile(reference.latencies, 99),
                percentile(reference.latencies, 100), reference.serverCpu, reference.clientCpu,
                reference.peakRssKib / 1024, reference.serverThreads, reference.worstBySecond, reference.stages.summary(), measured.failed, measured.firstFailure, reference.failed,
                reference.firstFailure,
                percentile(measured.latencies, 99) / Math.max(0.001, percentile(reference.latencies, 99)),
                measured.serverCpu / Math.max(0.001, reference.serverCpu));
    }

    static List<String> serverJvmOptions() {
        return List.of(System.getProperty("spiderpig.benchmark.server-jvm", "").split(" ")).stream()
                .filter(option -> !option.isBlank()).toList();
    }

    static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * One round's figures; the memory, open files and threads are the first server's, {@code serverCpu} all
     * servers' together and {@code serverCpus} each one's (seconds); {@code latencies} are all sampled clients'
     * (sorted, microseconds), {@code latenciesByServer} those of each server's clients.
     */
    record Round(long complete, double seconds, long[] latencies, long connectedRssKib, long peakRssKib,
                 double serverCpu, double clientCpu, String serverThreads, long openFiles, long failed,
                 String firstFailure, double[] serverCpus, List<long[]> latenciesByServer, LatencyStages stages,
                 String worstBySecond, double compilerCpu) {
    }

    /** Where some of a round's clients connect: a server's stream and its process (for its CPU and memory). */
    record Target(String baseUrl, String path, long pid) {
    }

    /** A job that asks before it ticks, so that every subscriber is connected before the first line. */
    static Path gatedTicker(Path data, int lines, int rate) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return TestScripts.write(data.resolve("scripts"), "gated-" + lines + "-" + rate + ".sh",
                "printf 'Start ticking? [y/N] '\n"
                + "read -r answer\n"
                + "exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + LineTicker.class.getName() + " " + lines + " " + rate + "\n");
    }

    /** Starts the job, connects every subscriber, answers, and waits for every stream to end. */
    private static Round spiderPigRound(ServerProcess server, String jobType, int subscribers, int sampleEvery,
                                        int lines) throws Exception {
        Api api = server.api();
        long job = api.start(jobType, Map.of()).get("id").asLong();
        long prompt = api.awaitPrompt(job).get("id").asLong();
        return round(server.baseUrl(), "/api/jobs/" + job + "/events", server.pid(), subscribers, sampleEvery, lines,
                () -> api.answer(job, prompt, "y").expectStatus().isOk());
    }

    /** Warm-up rounds (added to {@code warmups}; none for a short stream) and a measured one against the bare server. */
    private static Round referenceRounds(NettyReferenceServer.Launched bare, int subscribers, int sampleEvery,
                                         int lines, List<Round> warmups) throws Exception {
        Runnable start = () -> HttpClient.create().baseUrl(bare.baseUrl()).post().uri("/start")
                .response().block(Duration.ofMinutes(1));
        for (int i = 0; i < WARMUP_ROUNDS && lines > 100; i++) {
            warmups.add(round(bare.baseUrl(), "/events", bare.pid(), subscribers, sampleEvery, lines, start));
        }
        return round(bare.baseUrl(), "/events", bare.pid(), subscribers, sampleEvery, lines, start);
    }

    /** Connects every subscriber, runs {@code start}, and waits for every stream to end. */
    private static Round round(String baseUrl, String path, long serverPid, int subscribers, int sampleEvery,
                               int lines, Runnable start) throws Exception {
        return round(List.of(new Target(baseUrl, path, serverPid)), subscribers, sampleEvery, lines, start);
    }

    /** {@link #round(String, String, long, int, int, int, Runnable)} with the clients spread over the targets, in blocks. */
    static Round round(List<Target> targets, int subscribers, int sampleEvery, int lines, Runnable start)
            throws Exception {
        long serverPid = targets.get(0).pid();
        Path results = Files.createTempFile("spiderpig-fanout-clients", ".txt");
        StringBuilder round = new StringBuilder(subscribers + " " + sampleEvery + " " + results);
        targets.forEach(target -> round.append(' ').append(target.baseUrl()).append(target.path()));
        ClientProcess clients = ClientProcess.get();
        boolean done = false;
        try {
            BufferedReader reports = clients.round(round.toString());
            // The clients' process gives up after 5 minutes of each wait and says so: these reads end.
            assertThat(reports.readLine()).as("all subscribers connected").isEqualTo("connected true");
            long connectedRss = rssKib(serverPid);
            long openFiles = openFiles(serverPid);
            RssSampler rss = new RssSampler(serverPid);
            Duration[] serverCpuBefore = targets.stream().map(target -> cpu(target.pid())).toArray(Duration[]::new);
            Map<String, Long> threadTicksBefore = threadTicks(serverPid);
            Duration clientCpuBefore = cpu(clients.pid());
            Instant begin = Instant.now();
            start.run();
            String[] ended = String.valueOf(reports.readLine()).split(" ");
            assertThat(ended[0] + " " + (ended.length > 1 ? ended[1] : "")).as("every stream ended").isEqualTo("ended true");
            double seconds = Duration.between(begin, Instant.now()).toNanos() / 1e9;
            double[] serverCpus = new double[targets.size()];
            for (int t = 0; t < targets.size(); t++) {
                serverCpus[t] = cpu(targets.get(t).pid()).minus(serverCpuBefore[t]).toMillis() / 1000.0;
            }
            double serverCpu = java.util.Arrays.stream(serverCpus).sum();
            Map<String, Long> threadTicksAfter = threadTicks(serverPid);
            String serverThreads = busiestThreads(threadTicksBefore, threadTicksAfter);
            double compilerCpu = (threadTicksAfter.getOrDefault(COMPILER_THREADS, 0L)
                    - threadTicksBefore.getOrDefault(COMPILER_THREADS, 0L)) / 100.0;
            double clientCpu = (Long.parseLong(ended[2]) - clientCpuBefore.toNanos()) / 1e9;
            rss.close();
            assertThat(reports.readLine()).as("the clients' results written").isEqualTo("results");
            done = true;
            return summarize(targets.size(), subscribers, lines, results, seconds, connectedRss, rss.peakKib(),
                    serverCpu, clientCpu, serverThreads, openFiles, serverCpus, compilerCpu);
        } finally {
            if (!done) {
                ClientProcess.discard();
            }
            Files.deleteIfExists(results);
        }
    }

    /**
     * The clients' process ({@link FanOutClients}), one for every round of the run: started by the first
     * round, given each round on its stdin, ended with the benchmark's JVM (its stdin closes). A round that
     * failed discards it, so the next starts clean.
     */
    private static final class ClientProcess {

        private static ClientProcess current;

        private final Process process;
        private final BufferedReader reports;
        private final java.io.Writer rounds;

        private ClientProcess(Process process) {
            this.process = process;
            this.reports = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            this.rounds = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        }

        static synchronized ClientProcess get() throws IOException {
            if (current == null || !current.process.isAlive()) {
                List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        // A small heap and the serial collector: the clients' own GC is no work for the server's cores.
                        "-XX:+UseSerialGC", "-Xmx256m", "-D" + FanOutClients.CONNECTS_IN_FLIGHT + "=" + CONNECTS_IN_FLIGHT,
                        "-cp", System.getProperty("java.class.path"),
                        FanOutClients.class.getName(), Integer.toString(CLIENT_THREADS));
                current = new ClientProcess(new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            return current;
        }

        static synchronized void discard() throws InterruptedException {
            if (current != null) {
                current.process.destroy();
                current.process.waitFor(1, TimeUnit.MINUTES);
                current = null;
            }
        }

        long pid() {
            return process.pid();
        }

        /** Starts a round; its reports ({@code connected}, {@code ended}, {@code results}) are read from what this returns. */
        BufferedReader round(String round) throws IOException {
            rounds.write(round + "\n");
            rounds.flush();
            return reports;
        }
    }

    /** A round's figures from the clients' results file (see {@link FanOutClients}). */
    private static Round summarize(int targetCount, int subscribers, int lines, Path results, double seconds,
                                   long connectedRss, long peakRss, double serverCpu, double clientCpu,
                                   String serverThreads, long openFiles, double[] serverCpus, double compilerCpu)
            throws IOException {
        LatencyStages stages = new LatencyStages(subscribers);
        List<List<Long>> latenciesByTarget = new ArrayList<>();
        for (int t = 0; t < targetCount; t++) {
            latenciesByTarget.add(new ArrayList<>());
        }
        Map<Long, Long> worstBySecond = new java.util.TreeMap<>();
        long complete = 0;
        long failed = 0;
        String firstFailure = "";
        try (var entries = Files.lines(results)) {
            for (String line : (Iterable<String>) entries::iterator) {
                String[] fields = line.split(" ", 5);
                int client = Integer.parseInt(fields[1]);
                if (fields[0].equals("client")) {
                    boolean failedHere = !fields[3].equals("-");
                    if (!failedHere && Long.parseLong(fields[2]) == lines) {
                        complete++;
                    }
                    if (failedHere && failed++ == 0) {
                        firstFailure = " (first: client " + client + ", " + line.split(" ", 4)[3] + ")";
                    }
                    continue;
                }
                String[] times = fields[4].split(" ");
                long written = Long.parseLong(fields[3]);
                long read = Long.parseLong(times[1]);
                latenciesByTarget.get((int) ((long) client * targetCount / subscribers)).add(read - written);
                stages.add(client, Long.parseLong(fields[2]), written, Long.parseLong(times[0]), read);
                worstBySecond.merge(written / 1_000_000, read - written, Math::max);
            }
        }
        List<long[]> latencies = latenciesByTarget.stream()
                .map(list -> list.stream().mapToLong(Long::longValue).sorted().toArray()).toList();
        String worst = worstBySecond.values().stream().map(micros -> Long.toString(micros / 1000))
                .collect(java.util.stream.Collectors.joining(" "));
        return new Round(complete, seconds, latencies.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray(),
                connectedRss, peakRss, serverCpu, clientCpu, serverThreads, openFiles, failed, firstFailure,
                serverCpus, latencies, stages, worst, compilerCpu);
    }

    private static long openFiles(long pid) {
        try (var descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return descriptors.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The C1 and C2 compiler threads (C1 CompilerThread0...) as {@link #threadTicks} names them. */
    private static final String COMPILER_THREADS = "CN CompilerThre";

    private static String compilerCpus(List<Round> warmups, Round measured) {
        return java.util.stream.Stream.concat(warmups.stream(), java.util.stream.Stream.of(measured))
                .map(round -> String.format(Locale.ROOT, "%.1f", round.compilerCpu))
                .collect(java.util.stream.Collectors.joining(" / "));
    }

    /** CPU ticks (1/100 s) per kind of thread (digits in names dropped), from /proc. */
    private static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> ticks = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException threadEnded) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    private static String busiestThreads(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0L)))
                .filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(6)
                .map(entry -> String.format(Locale.ROOT, "%s %.1f s", entry.getKey(), entry.getValue() / 100.0))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
    }
}
