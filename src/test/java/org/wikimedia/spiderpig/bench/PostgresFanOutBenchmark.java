package org.wikimedia.spiderpig.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.wikimedia.spiderpig.bench.FanOutBenchmark.gatedTicker;
import static org.wikimedia.spiderpig.bench.FanOutBenchmark.loadAverage;
import static org.wikimedia.spiderpig.bench.FanOutBenchmark.percentile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.bench.FanOutBenchmark.Round;
import org.wikimedia.spiderpig.bench.FanOutBenchmark.Target;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.PostgresTestDatabase;
import org.wikimedia.spiderpig.support.ServerProcess;
import org.wikimedia.spiderpig.support.TestScripts;

/**
 * SSE subscribers of one job over two server instances on one PostgreSQL database, for
 * docs/benchmarks/postgresql.md: the job runs on instance A; in the same run, {@value #SUBSCRIBERS} clients first
 * all on A (one instance, the figure to compare with), then half on A and half on B, whose lines come through
 * the database (rows, NOTIFY, B's read). Each server in a JVM of its own. Skipped unless
 * {@code -Dspiderpig.benchmark=true} (which {@code mvn -Pbench} sets) and {@code SPIDERPIG_TEST_POSTGRES_URL}:
 * <pre>
 * SPIDERPIG_TEST_POSTGRES_URL=r2dbc:postgresql://spiderpig:spiderpig@127.0.0.1:5432/postgres \
 *   mvn -B -Pbench -Dfrontend.skip verify -Dtest=PostgresFanOutBenchmark 2>&1 | grep BENCH
 * </pre>
 * {@code -Dspiderpig.benchmark.jfr-dir=/tmp/pg-fanout} records a JFR profile of each server there ({@code
 * host-a.jfr}, {@code host-b.jfr}). Clients and latency are {@link FanOutBenchmark}'s: every client counts its lines, every
 * {@value #SAMPLE_EVERY}th records each line's read time minus the time the job's process wrote it. Each measured
 * round also reports where the CPU went ({@link CpuSnapshot}): by thread of A and B, clients, PostgreSQL, machine.
 */
class PostgresFanOutBenchmark {

    private static final int SUBSCRIBERS = Integer.getInteger("spiderpig.benchmark.subscribers", 1_000);
    private static final int LINES = 10_000;
    private static final int WARMUP_LINES = 10_000;
    private static final int RATE = 1_000;
    private static final int SAMPLE_EVERY = 50;
    /** A warm-up round whose compiling took more than this (seconds, busiest server) is followed by another. */
    private static final double STILL_COMPILING = 1.0;
    private static final int MAX_WARMUP_ROUNDS = Integer.getInteger("spiderpig.benchmark.max-warmup-rounds", 10);
    private static final Duration QUIET_DEADLINE = Duration.ofSeconds(60);

    @Test
    void aThousandSubscribersOverTwoInstancesBesideOneInstance() throws Exception {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        Path dataA = TestScripts.tempDirectory("spiderpig-pg-fanout-a");
        Path dataB = TestScripts.tempDirectory("spiderpig-pg-fanout-b");
        String loadBefore = loadAverage();
        try (PostgresTestDatabase database = PostgresTestDatabase.create();
             ServerProcess a = start(database, dataA, "host-a");
             ServerProcess b = start(database, dataB, "host-b")) {
            List<Long> pids = List.of(a.pid(), b.pid());
            String warmup = warmUp(database, a, b, pids);
            StreamCounts beforeOne = StreamCounts.of(a);
            CpuSnapshot[] cpuOne = new CpuSnapshot[1];
            Round one = round(database, a, List.of(a), "gated", LINES, pids, cpuOne);
            CpuSnapshot cpuAfterOne = CpuSnapshot.of(pids, database::committedTransactions);
            StreamCounts afterOne = StreamCounts.of(a);
            StreamCounts beforeTwoB = StreamCounts.of(b);
            String quietBeforeTwo = QuietCompilers.await(pids, QUIET_DEADLINE).summary();
            CpuSnapshot[] cpuTwo = new CpuSnapshot[1];
            Round two = round(database, a, List.of(a, b), "gated", LINES, pids, cpuTwo);
            CpuSnapshot cpuAfterTwo = CpuSnapshot.of(pids, database::committedTransactions);

            System.out.printf(Locale.ROOT, """
                    BENCH postgresql fan-out: %d SSE subscribers of one job on instance A, %d lines at %d lines/s (after at least %d warm-up rounds of %d lines), one PostgreSQL database
                    BENCH   load average before / after: %s / %s
                    BENCH   warm-up: %s; before the two-instance round: %s
                    BENCH   one instance (all on A): %d of %d received every line; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; A's CPU %.0f%% of one core
                    BENCH   two instances (half on A, half on B): %d of %d received every line; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; CPU A %.0f%%, B %.0f%% of one core
                    BENCH     clients of A: p50 %.1f ms, p99 %.1f ms; clients of B (through the database): p50 %.1f ms, p99 %.1f ms, max %.1f ms
                    BENCH   stages, one instance: %s
                    BENCH   stages, two instances: %s
                    BENCH   streams, one instance, A: %s
                    BENCH   streams, two instances, A: %s
                    BENCH   streams, two instances, B: %s
                    BENCH   CPU by thread (s), one instance: %s; the clients' process %.1f s
                    BENCH   CPU by thread (s), two instances: %s; the clients' process %.1f s
                    """,
                    SUBSCRIBERS, LINES, RATE, FanOutBenchmark.WARMUP_ROUNDS, WARMUP_LINES, loadBefore, loadAverage(),
                    warmup, quietBeforeTwo,
                    one.complete(), SUBSCRIBERS, percentile(one.latencies(), 50), percentile(one.latencies(), 99),
                    percentile(one.latencies(), 100), 100 * one.serverCpus()[0] / one.seconds(),
                    two.complete(), SUBSCRIBERS, percentile(two.latencies(), 50), percentile(two.latencies(), 99),
                    percentile(two.latencies(), 100), 100 * two.serverCpus()[0] / two.seconds(),
                    100 * two.serverCpus()[1] / two.seconds(),
                    percentile(two.latenciesByServer().get(0), 50), percentile(two.latenciesByServer().get(0), 99),
                    percentile(two.latenciesByServer().get(1), 50), percentile(two.latenciesByServer().get(1), 99),
                    percentile(two.latenciesByServer().get(1), 100),
                    one.stages().summary(), two.stages().summary(), afterOne.since(beforeOne),
                    StreamCounts.of(a).since(afterOne), StreamCounts.of(b).since(beforeTwoB),
                    cpuAfterOne.since(cpuOne[0], List.of("A", "B (idle)")), one.clientCpu(),
                    cpuAfterTwo.since(cpuTwo[0], List.of("A", "B")), two.clientCpu());
            assertThat(one.complete()).isEqualTo(SUBSCRIBERS);
            assertThat(two.complete()).isEqualTo(SUBSCRIBERS);
        }
    }

    /**
     * Unmeasured rounds over both servers warm their JIT up (and the clients' process), as in FanOutBenchmark;
     * more than {@link FanOutBenchmark#WARMUP_ROUNDS} while a round still kept a server's compiler busy for more
     * than {@link #STILL_COMPILING} (up to {@link #MAX_WARMUP_ROUNDS}), and after the last the compilers' queues
     * drain ({@link QuietCompilers}). Says what each round compiled (A / B) and how the wait ended. Two rounds
     * were not enough: methods run once per connection or per database batch reach C2 rounds later, and a
     * measured round then spent ~3 s of A's CPU compiling (docs/benchmarks/postgresql.md).
     */
    private static String warmUp(PostgresTestDatabase database, ServerProcess a, ServerProcess b, List<Long> pids)
            throws Exception {
        List<String> compiled = new ArrayList<>();
        double busiest = Double.MAX_VALUE;
        for (int i = 0; i < FanOutBenchmark.WARMUP_ROUNDS || (busiest > STILL_COMPILING && i < MAX_WARMUP_ROUNDS); i++) {
            double[] before = QuietCompilers.seconds(pids);
            round(database, a, List.of(a, b), "warmup", WARMUP_LINES, pids, new CpuSnapshot[1]);
            double[] after = QuietCompilers.seconds(pids);
            busiest = Math.max(after[0] - before[0], after[1] - before[1]);
            compiled.add(String.format(Locale.ROOT, "%.1f / %.1f", after[0] - before[0], after[1] - before[1]));
        }
        return String.format(Locale.ROOT, "%d rounds, JIT compiler CPU by round (A / B) %s s; then %s",
                compiled.size(), String.join(", ", compiled), QuietCompilers.await(pids, QUIET_DEADLINE).summary());
    }

    /** The job types both servers know; only A, where the job is started, runs it. */
    private static ServerProcess start(PostgresTestDatabase database, Path data, String host) {
        // Each server has the scripts in its own data directory.
        List<String> arguments = new ArrayList<>(List.of("--logging.level.root=WARN",
                "--spiderpig.jobs.warmup.command=" + gatedTicker(data, WARMUP_LINES, RATE),
                "--spiderpig.jobs.warmup.validator=none",
                "--spiderpig.jobs.gated.command=" + gatedTicker(data, LINES, RATE), "--spiderpig.jobs.gated.validator=none",
                "--spiderpig.runner.prompt-idle=200ms", "--spiderpig.instance.host=" + host));
        arguments.addAll(List.of(database.serverArguments()));
        List<String> jvm = new ArrayList<>(FanOutBenchmark.serverJvmOptions());
        String profiles = System.getProperty("spiderpig.benchmark.jfr-dir");
        if (profiles != null) {
            // One recording per server: jfr print --events jdk.ExecutionSample <dir>/host-a.jfr
            jvm.add("-XX:StartFlightRecording=filename=" + Path.of(profiles, host + ".jfr") + ",settings=profile");
        }
        return ServerProcess.start(data, jvm, arguments);
    }

    /**
     * Starts the job on {@code runner}, connects the clients spread over {@code servers}, answers, waits for every
     * end; {@code cpuAtStart} gets the CPU counts of the processes {@code cpuOf} taken right before the answer
     * (after every client connected).
     */
    private static Round round(PostgresTestDatabase database, ServerProcess runner, List<ServerProcess> servers,
                               String jobType, int lines, List<Long> cpuOf, CpuSnapshot[] cpuAtStart) throws Exception {
        Api api = runner.api();
        long job = api.start(jobType, Map.of()).get("id").asLong();
        long prompt = api.awaitPrompt(job).get("id").asLong();
        List<Target> targets = servers.stream()
                .map(server -> new Target(server.baseUrl(), "/api/jobs/" + job + "/events", server.pid())).toList();
        return FanOutBenchmark.round(targets, SUBSCRIBERS, SAMPLE_EVERY, lines,
                () -> {
                    cpuAtStart[0] = CpuSnapshot.of(cpuOf, database::committedTransactions);
                    api.answer(job, prompt, "y").expectStatus().isOk();
                });
    }
}
