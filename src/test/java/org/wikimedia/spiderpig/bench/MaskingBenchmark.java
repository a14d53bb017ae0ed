package org.wikimedia.spiderpig.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.masking.SecretPatterns;

/**
 * What masking costs per line, without the rest of the server: the streaming benchmark's tick lines
 * (no hint of a secret), typical scap output (some with URLs and versions), and lines holding secrets.
 * Skipped unless {@code -Dspiderpig.benchmark=true}:
 *
 * <pre>
 * mvn -q -B -Dfrontend.skip -Dspiderpig.benchmark=true -Dtest=MaskingBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false test 2>&1 | grep BENCH
 * </pre>
 */
class MaskingBenchmark {

    private static final List<String> TICKS = List.of("tick 120 1763805600123456", "tick 121 1763805600124456");
    private static final List<String> SCAP = List.of(
            "\u001b[32m06:36:51 Update http://gerrit.traindev:8080/mediawiki/core (wmf/1.44.0-wmf.6 branch) in /srv/mediawiki-staging/php-1.44.0-wmf.6\u001b[0m",
            "\u001b[32m06:36:50 Collecting commit for Id49da928ab515fd1d6fc2f32f53f655a6f9c1507...\u001b[0m",
            "06:38:49 sync-testservers: 100% (in-flight: 0; ok: 1; fail: 0; left: 0)",
            "\u001b[32m06:37:42 Updating LocalisationCache for 1.44.0-wmf.6 using 10 thread(s)\u001b[0m",
            "\u001b[32m06:39:51 Finished scap sync-world: Backport for [[gerrit:42|testwikis to 1.44.0-wmf.8 (T123123)]] (duration: 02m 15s)\u001b[0m");
    private static final List<String> SECRETS = List.of("mysql --user=wiki --password=hunter2 -h db1",
            "curl -H 'Authorization: Bearer abc.def-123' https://x",
            "git clone https://deployer:gerrit-http-pw@gerrit.wikimedia.org/r/core");

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** Where the results go, so that the JIT cannot drop the work. */
    private static volatile long consumed;

    @Test
    void nanosecondsPerLine() {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        SecretPatterns patterns = SecretPatterns.defaults();
        for (int round = 0; round < 2; round++) {
            // The first round warms the JIT up; the second is reported.
            double ticks = perLine(patterns, TICKS);
            double scap = perLine(patterns, SCAP);
            double secrets = perLine(patterns, SECRETS);
            if (round == 1) {
                System.out.printf(Locale.ROOT, "BENCH masking, CPU time per line: tick lines %.0f ns, scap output %.0f ns,"
                        + " lines with secrets %.0f ns%n", ticks, scap, secrets);
            }
        }
    }

    private static double perLine(SecretPatterns patterns, List<String> lines) {
        int rounds = 2_000_000 / lines.size();
        long sink = 0;
        // CPU time of this thread, not wall time: on a busy machine that is what stays comparable.
        long begin = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            for (String line : lines) {
                sink += patterns.redact(line).length();
            }
        }
        long elapsed = CPU.getCurrentThreadCpuTime() - begin;
        consumed += sink;
        return (double) elapsed / ((long) rounds * lines.size());
    }
}
