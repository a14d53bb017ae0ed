package org.wikimedia.spiderpig.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.line;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.masking.EventMasker;
import org.wikimedia.spiderpig.masking.MaskedEventJson;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.web.SseMessages;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Figures for docs/benchmarks/event-log.md. Skipped unless {@code -Dspiderpig.benchmark=true}, which
 * {@code mvn -Pbench} sets:
 * <pre>
 * mvn -B -Pbench -Dfrontend.skip verify -Dtest=EventLogBenchmark 2>&1 | grep BENCH
 * </pre>
 * Each case stops by itself; results are printed to stdout (lines starting with {@code BENCH}).
 */
class EventLogBenchmark {

    @TempDir
    Path directory;
    EventLogFixture fixture;

    @BeforeEach
    void onlyWhenAskedFor() {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        fixture = new EventLogFixture(directory);
    }

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void appendThroughputAndResumeNearTheEndOfSmallAndLargeLogs() {
        String text = "sync-masters: 53% (in-flight: 4; ok: 118; fail: 0; left: 104) mw2291.codfw.wmnet ok";
        appendLines(fixture.logs.forJob(1), 1_000, text);
        long start = System.nanoTime();
        appendLines(fixture.logs.forJob(2), 1_000_000, text);
        double seconds = (System.nanoTime() - start) / 1e9;
        report("append throughput: 1,000,000 lines (~%d bytes each) in %.2f s = %,.0f lines/s",
                text.length() + 100, seconds, 1_000_000 / seconds);

        for (boolean cold : new boolean[] {false, true}) {
            double small = resumeMicros(1, 1_000, cold);
            double large = resumeMicros(2, 1_000_000, cold);
            report("time to first event, resume 100 lines before the end (%s): 1,000-line log %.0f us, "
                    + "1,000,000-line log %.0f us, ratio %.2f", cold ? "log reopened from files" : "log open",
                    small, large, large / small);
        }
    }

    /** Median over many resumes: seqBeforeLine(tail) then the first event of follow(), read from the file. */
    private double resumeMicros(long job, long lines, boolean cold) {
        int rounds = 300;
        long[] micros = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            JobEventLogs logs = cold ? fixture.reopen() : fixture.logs;
            long begin = System.nanoTime();
            JobEventLog log = ((FileJobEventLogs) logs).open(job).block();
            long after = log.seqBeforeLine(log.lineCount() - 100 + 1).block();
            JobEvent first = log.follow(after).blockFirst();
            micros[i] = (System.nanoTime() - begin) / 1_000;
            assertThat(((OutputLine) first.payload()).line()).isEqualTo(lines - 100 + 1);
        }
        Arrays.sort(micros);
        return micros[rounds / 2];
    }

    @Test
    void fanOutToAThousandFollowersAtAThousandLinesPerSecond() {
        int followers = 1_000;
        int linesPerSecond = 1_000;
        int seconds = 15;
        int total = linesPerSecond * seconds;
        JobEventLog log = fixture.logs.forJob(3);
        SseMessages wire = new SseMessages(new MaskedEventJson(EventMasker.withDefaults(), new EventJson()), 8192);
        // Latency histogram in 100 us buckets up to 10 s, shared by all followers.
        AtomicLongArray buckets = new AtomicLongArray(100_001);
        long[] appendedAt = new long[total + 2];
        List<Mono<Long>> received = new ArrayList<>();
        List<Disposable> subscriptions = new ArrayList<>();
        for (int i = 0; i < followers; i++) {
            // What an SSE stream does per event: its message bytes (shared through the cache).
            Mono<Long> count = log.follow(0)
                    .doOnNext(wire::of)
                    .doOnNext(event -> {
                        if (event.payload() instanceof OutputLine line) {
                            long micros = (System.nanoTime() - appendedAt[(int) line.line()]) / 1_000;
                            buckets.incrementAndGet((int) Math.min(micros / 100, 100_000));
                        }
                    })
                    .count()
                    .cache();
            received.add(count);
            subscriptions.add(count.subscribe());
        }
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        for (int n = 1; n <= total; n++) {
            long due = start + (long) n * 1_000_000_000L / linesPerSecond;
            // Paces the producer like a subprocess writing 1,000 lines/s (a benchmark, not a test).
            LockSupport.parkNanos(due - System.nanoTime());
            appendedAt[n] = System.nanoTime();
            log.append(line("line " + n));
        }
        long endSeq = log.append(new JobEnded(JobState.SUCCEEDED, 0)).block().seq();
        for (Mono<Long> count : received) {
            assertThat(count.block(Duration.ofMinutes(2))).isEqualTo(endSeq);
        }
        double cpuPercent = 100.0 * (processCpuNanos() - cpuStart) / (System.nanoTime() - start);
        subscriptions.forEach(Disposable::dispose);
        long samples = 0;
        for (int i = 0; i < buckets.length(); i++) {
            samples += buckets.get(i);
        }
        assertThat(samples).isEqualTo((long) followers * total);
        report("fan-out: %d followers x %,d lines at %d lines/s: every follower got every event; "
                        + "masked wire JSON made per event; delivery latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, "
                        + "max %.1f ms; process CPU %.0f%% of one core; machine load average %.1f",
                followers, total, linesPerSecond, percentile(buckets, samples, 0.50),
                percentile(buckets, samples, 0.99), percentile(buckets, samples, 0.999),
                percentile(buckets, samples, 1.0), cpuPercent,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double percentile(AtomicLongArray buckets, long samples, double fraction) {
        long wanted = (long) Math.ceil(samples * fraction);
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
            if (seen >= wanted) {
                return (i + 1) / 10.0;
            }
        }
        return Double.NaN;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void appendLines(JobEventLog log, int count, String text) {
        Mono<JobEvent> last = null;
        for (int i = 1; i <= count; i++) {
            last = log.append(line(i + " " + text));
        }
        last.block();
    }

    private static void report(String format, Object... args) {
        System.out.println("BENCH " + String.format(format, args));
    }
}
