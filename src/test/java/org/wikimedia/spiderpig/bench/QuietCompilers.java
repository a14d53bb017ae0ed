package org.wikimedia.spiderpig.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until servers' JIT compilers are quiet: a fresh JVM's C2 threads went on compiling through the measured
 * round after two warm-up rounds (3 s of a 2-core machine's 23 s there), so a round measured them, not the server.
 * Quiet: each server's compiler threads ({@code C1/C2 CompilerThread}, cut by Linux to 15 characters) took less
 * than {@value #QUIET_MS_PER_SECOND} ms of CPU in each of {@value #QUIET_SECONDS} consecutive seconds.
 */
final class QuietCompilers {

    /** The C1 and C2 compiler threads as {@link CpuSnapshot#threadTicks} names them. */
    static final String COMPILER_THREADS = "CN CompilerThre";
    private static final double QUIET_MS_PER_SECOND = 50;
    private static final int QUIET_SECONDS = 2;
    private static final Duration SAMPLE = Duration.ofSeconds(1);

    private QuietCompilers() {
    }

    /** The outcome of a wait: whether quiet came before the deadline, after how long, each server's last ms/s. */
    record Wait(boolean quiet, Duration waited, double[] lastMsPerSecond) {
        String summary() {
            return String.format(Locale.ROOT, "%s after %.0f s (compiler ms/s at the end: %s)",
                    quiet ? "quiet" : "NOT quiet", waited.toMillis() / 1000.0,
                    Arrays.stream(lastMsPerSecond).mapToObj(ms -> String.format(Locale.ROOT, "%.0f", ms))
                            .collect(Collectors.joining(" / ")));
        }
    }

    /** Each process's compiler threads' CPU so far, in seconds. */
    static double[] seconds(List<Long> pids) {
        return pids.stream()
                .mapToDouble(pid -> CpuSnapshot.threadTicks(pid).getOrDefault(COMPILER_THREADS, 0L) / 100.0)
                .toArray();
    }

    /** Samples every second until every process's compiler is quiet, or {@code deadline} passed. */
    static Wait await(List<Long> pids, Duration deadline) {
        long begin = System.nanoTime();
        double[][] last = {seconds(pids)};
        long[] lastAt = {begin};
        double[][] rates = {new double[pids.size()]};
        int[] quietSamples = {0};
        boolean quiet;
        try {
            Awaitility.await().atMost(deadline).pollDelay(SAMPLE).pollInterval(SAMPLE).until(() -> {
                double[] now = seconds(pids);
                long at = System.nanoTime();
                double elapsed = (at - lastAt[0]) / 1e9;
                boolean allQuiet = true;
                for (int i = 0; i < now.length; i++) {
                    rates[0][i] = 1000 * (now[i] - last[0][i]) / elapsed;
                    allQuiet &= rates[0][i] < QUIET_MS_PER_SECOND;
                }
                last[0] = now;
                lastAt[0] = at;
                quietSamples[0] = allQuiet ? quietSamples[0] + 1 : 0;
                return quietSamples[0] >= QUIET_SECONDS;
            });
            quiet = true;
        } catch (ConditionTimeoutException stillCompiling) {
            quiet = false;
        }
        return new Wait(quiet, Duration.ofNanos(System.nanoTime() - begin), rates[0]);
    }
}
