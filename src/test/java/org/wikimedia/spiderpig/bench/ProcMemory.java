package org.wikimedia.spiderpig.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A process's memory as the kernel reports it in {@code /proc/<pid>/status}, for the benchmarks. */
final class ProcMemory {

    private ProcMemory() {
    }

    /** Resident memory now. */
    static long rssKib(long pid) {
        return statusKib(pid, "VmRSS:");
    }

    /** The peak of resident memory over the process's life. */
    static long hwmKib(long pid) {
        return statusKib(pid, "VmHWM:");
    }

    private static long statusKib(long pid, String field) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith(field))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(0);
        } catch (IOException gone) {
            return 0;
        }
    }

    /** Samples a process's resident memory every 100 ms until closed, keeping the peak. */
    static final class RssSampler implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private volatile long peakKib;

        RssSampler(long pid) {
            timer.scheduleAtFixedRate(() -> peakKib = Math.max(peakKib, rssKib(pid)), 0, 100, TimeUnit.MILLISECONDS);
        }

        long peakKib() {
            return peakKib;
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(1, TimeUnit.MINUTES);
        }
    }
}
