package org.wikimedia.spiderpig.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.line;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Figures for the PostgreSQL section of docs/benchmarks/event-log.md. Skipped unless
 * {@code -Dspiderpig.benchmark=true} (which {@code mvn -Pbench} sets) and a PostgreSQL server is configured
 * ({@code SPIDERPIG_TEST_POSTGRES_URL}):
 * <pre>
 * mvn -B -Pbench -Dfrontend.skip verify -Dtest=PostgresEventLogBenchmark 2>&1 | grep BENCH
 * </pre>
 * Two "servers" on one throwaway database: A writes, B reads what A wrote (from the rows, as any server other
 * than the job's own does).
 */
class PostgresEventLogBenchmark {

    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final String TEXT = "sync-masters: 53% (in-flight: 4; ok: 118; fail: 0; left: 104) mw2291.codfw.wmnet ok";

    final Scheduler io = Schedulers.newBoundedElastic(8, 100_000, "event-log-db-bench");
    final Scheduler delivery = Schedulers.newParallel("event-log-delivery-bench", 2);
    final List<AutoCloseable> closing = new ArrayList<>();
    PostgresLogSchema schema;
    PostgresLogSchema.Server serverA;
    PostgresLogSchema.Server serverB;

    @BeforeEach
    void onlyWhenAskedFor() {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        schema = PostgresLogSchema.create();
        serverA = schema.server("a");
        serverB = schema.server("b");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (schema != null) {
            serverA.close();
            serverB.close();
            schema.close();
        }
        io.dispose();
        delivery.dispose();
    }

    private SharedJobEventLogs logs(PostgresLogSchema.Server server) {
        SharedJobEventLogs logs = new SharedJobEventLogs(server.logs(), io, delivery, Clock.systemUTC(),
                EventLogSettings.defaults());
        closing.add(logs);
        return logs;
    }

    @Test
    void appendThroughputAndResumeNearTheEndOfSmallAndLargeLogs() {
        SharedJobEventLogs a = logs(serverA);
        appendLines(a.forJob(1), 1_000);
        long start = System.nanoTime();
        appendLines(a.forJob(2), 1_000_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        report("postgresql append throughput: 1,000,000 lines (~%d bytes each) in %.2f s = %,.0f lines/s",
                TEXT.length() + 100, seconds, 1_000_000 / seconds);

        SharedJobEventLogs b = logs(serverB);
        for (boolean cold : new boolean[] {false, true}) {
            String how = cold ? "log reopened" : "log open";
            double[] follow = resumeMicros(b, cold, PostgresEventLogBenchmark::followTail);
            report("postgresql time to first event of follow(lastSeq-10) on the other server (%s): 1,000-line log"
                    + " %.0f us, 1,000,000-line log %.0f us, ratio %.2f", how, follow[0], follow[1],
                    follow[1] / follow[0]);
            double[] lines = resumeMicros(b, cold, PostgresEventLogBenchmark::linesTail);
            report("postgresql time to first event of lines(n-100, n) on the other server (%s): 1,000-line log"
                    + " %.0f us, 1,000,000-line log %.0f us, ratio %.2f", how, lines[0], lines[1], lines[1] / lines[0]);
        }
        report("machine load average %.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static JobEvent followTail(JobEventLog log) {
        JobEvent first = log.follow(log.lastSeq() - 10).blockFirst(DEADLINE);
        assertThat(first.seq()).isEqualTo(log.lastSeq() - 9);
        return first;
    }

    private static JobEvent linesTail(JobEventLog log) {
        long n = log.lineCount();
        JobEvent first = log.lines(n - 100, n).blockFirst(DEADLINE);
        assertThat(((OutputLine) first.payload()).line()).isEqualTo(n - 100);
        return first;
    }

    /**
     * Medians over 300 rounds of open(job) then the first event of {@code read}, for job 1 (1,000 lines) and job 2
     * (1,000,000 lines) in turn, in alternating order, so that the machine's load weighs on both alike. Cold: new logs each time (without
     * a listening connection, whose making is not what is measured), so the end is read from the table again.
     */
    private double[] resumeMicros(SharedJobEventLogs open, boolean cold, Function<JobEventLog, JobEvent> read) {
        int rounds = 300;
        long[][] micros = new long[2][rounds];
        for (int i = 0; i < rounds; i++) {
            // Which goes first alternates too: the second of a pair finds the machine as the first left it.
            for (int job : i % 2 == 0 ? new int[] {1, 2} : new int[] {2, 1}) {
                SharedJobEventLogs logs = cold ? new SharedJobEventLogs(withoutNotices(serverB.logs()), io, delivery,
                        Clock.systemUTC(), EventLogSettings.defaults()) : open;
                long begin = System.nanoTime();
                read.apply(logs.open(job).block(DEADLINE));
                micros[job - 1][i] = (System.nanoTime() - begin) / 1_000;
            }
        }
        Arrays.sort(micros[0]);
        Arrays.sort(micros[1]);
        return new double[] {micros[0][rounds / 2], micros[1][rounds / 2]};
    }

    private static LogDatabase withoutNotices(LogDatabase database) {
        return new LogDatabase() {
            @Override
            public LogStorage storage(long jobId) {
                return database.storage(jobId);
            }

            @Override
            public Mono<Void> delete(long jobId) {
                return database.delete(jobId);
            }

            @Override
            public Mono<Map<Long, Long>> sizes() {
                return database.sizes();
            }

            @Override
            public Disposable listen(NoticeListener listener) {
                return Disposables.disposed();
            }
        };
    }

    @Test
    void liveTailOnTheOtherServerAtAThousandLinesPerSecond() {
        int followers = 100;
        int linesPerSecond = 1_000;
        int total = linesPerSecond * 15;
        JobEventLog writer = logs(serverA).forJob(3);
        writer.append(line("start")).block(DEADLINE);
        JobEventLog reader = logs(serverB).open(3).block(DEADLINE);
        long[] appendedAt = new long[total + 2];
        long[] latencies = new long[followers * total];
        int[] filled = new int[followers];
        List<Mono<Long>> received = new ArrayList<>();
        for (int f = 0; f < followers; f++) {
            int follower = f;
            Mono<Long> count = reader.follow(1)
                    .doOnNext(event -> {
                        if (event.payload() instanceof OutputLine line) {
                            latencies[follower * total + filled[follower]++] =
                                    (System.nanoTime() - appendedAt[(int) line.line() - 1]) / 1_000;
                        }
                    })
                    .count()
                    .cache();
            count.subscribe();
            received.add(count);
        }
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        for (int n = 1; n <= total; n++) {
            long due = start + (long) n * 1_000_000_000L / linesPerSecond;
            // Paces the producer like a subprocess writing 1,000 lines/s (a benchmark, not a test).
            LockSupport.parkNanos(due - System.nanoTime());
            appendedAt[n] = System.nanoTime();
            writer.append(line("line " + n));
        }
        long endSeq = writer.append(new JobEnded(JobState.SUCCEEDED, 0)).block(DEADLINE).seq();
        for (Mono<Long> count : received) {
            assertThat(count.block(DEADLINE)).isEqualTo(endSeq - 1);
        }
        double cpuPercent = 100.0 * (processCpuNanos() - cpuStart) / (System.nanoTime() - start);
        Arrays.sort(latencies);
        report("postgresql live tail: %d followers on the other server x %,d lines at %d lines/s, every event once in"
                        + " order; append to receipt p50 %.1f ms, p99 %.1f ms, max %.1f ms; both servers' CPU %.0f%% of"
                        + " one core; machine load average %.1f",
                followers, total, linesPerSecond, latencies[latencies.length / 2] / 1000.0,
                latencies[(int) (latencies.length * 0.99)] / 1000.0, latencies[latencies.length - 1] / 1000.0,
                cpuPercent, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void appendLines(JobEventLog log, int count) {
        Mono<JobEvent> last = null;
        for (int i = 1; i <= count; i++) {
            last = log.append(line(i + " " + TEXT));
        }
        last.block(DEADLINE);
    }

    private static void report(String format, Object... args) {
        System.out.println("BENCH " + String.format(format, args));
    }
}
