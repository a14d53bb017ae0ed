package org.wikimedia.spiderpig.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Where the sampled lines' latency went, for FanOutBenchmark: per line read by a sampled client, written by
 * the subprocess → logged by the server (the event's {@code ts}: the supervisor, the spool, the append) →
 * first read by any sampled client (the event log, the wait for the fan-out's next run, the first writes)
 * → read by this client (the event loops' turn through their streams, the clients' reads); and which client
 * read it (its connect order, about its place in its event loop's list of streams). The goal is about the
 * p99, so the split is also given for the reads at or over it.
 */
final class LatencyStages {

    private record Sample(long line, long written, long logged, long read, int client) {

        long total() {
            return read - written;
        }
    }

    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final int clients;

    LatencyStages(int clients) {
        this.clients = clients;
    }

    /** Times in epoch microseconds. */
    void add(int client, long line, long written, long logged, long read) {
        samples.add(new Sample(line, written, logged, read, client));
    }

    String summary() {
        Sample[] all = samples.toArray(Sample[]::new);
        if (all.length == 0) {
            return "no samples";
        }
        Map<Long, Long> firstRead = new HashMap<>();
        for (Sample sample : all) {
            firstRead.merge(sample.line(), sample.read(), Math::min);
        }
        long[] toLogged = sorted(all, sample -> sample.logged() - sample.written());
        long[] toRead = sorted(all, sample -> sample.read() - sample.logged());
        long[] toFirst = sorted(all, sample -> firstRead.get(sample.line()) - sample.logged());
        long[] afterFirst = sorted(all, sample -> sample.read() - firstRead.get(sample.line()));
        long[] totals = sorted(all, Sample::total);
        long p99 = totals[Math.min(totals.length - 1, (int) Math.ceil(0.99 * totals.length) - 1)];
        Sample[] slow = Arrays.stream(all).filter(sample -> sample.total() >= p99).toArray(Sample[]::new);
        double slowTotal = mean(slow, Sample::total);
        double slowToLogged = mean(slow, sample -> sample.logged() - sample.written());
        double slowToFirst = mean(slow, sample -> firstRead.get(sample.line()) - sample.logged());
        StringBuilder quarters = new StringBuilder();
        for (int quarter = 0; quarter < 4; quarter++) {
            int from = quarter * clients / 4;
            int to = (quarter + 1) * clients / 4;
            Sample[] of = Arrays.stream(all).filter(sample -> sample.client() >= from && sample.client() < to)
                    .toArray(Sample[]::new);
            quarters.append(String.format(Locale.ROOT, " %.1f", FanOutBenchmark.percentile(sorted(of, Sample::total), 99)));
        }
        return String.format(Locale.ROOT, "written → logged p50 %.1f / p99 %.1f ms; logged → read p50 %.1f / p99 %.1f ms "
                + "(logged → first read by any sampled client p50 %.1f / p99 %.1f ms, first read → this read "
                + "p50 %.1f / p99 %.1f ms); the %d reads at or over the p99 (mean %.1f ms): written → logged %.1f, "
                + "logged → first read %.1f, first read → this read %.1f ms; p99 by the clients' connect order, "
                + "in quarters:%s ms",
                FanOutBenchmark.percentile(toLogged, 50), FanOutBenchmark.percentile(toLogged, 99),
                FanOutBenchmark.percentile(toRead, 50), FanOutBenchmark.percentile(toRead, 99),
                FanOutBenchmark.percentile(toFirst, 50), FanOutBenchmark.percentile(toFirst, 99),
                FanOutBenchmark.percentile(afterFirst, 50), FanOutBenchmark.percentile(afterFirst, 99),
                slow.length, slowTotal, slowToLogged, slowToFirst, slowTotal - slowToLogged - slowToFirst, quarters);
    }

    private static long[] sorted(Sample[] samples, java.util.function.ToLongFunction<Sample> value) {
        return Arrays.stream(samples).mapToLong(value).sorted().toArray();
    }

    /** In milliseconds. */
    private static double mean(Sample[] samples, java.util.function.ToLongFunction<Sample> value) {
        return Arrays.stream(samples).mapToLong(value).average().orElse(0) / 1000;
    }
}
