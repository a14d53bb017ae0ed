package org.wikimedia.spiderpig.store.r2dbc.transfer;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** What a move copied: rows by table, and the logs' events and bytes. */
record MoveSummary(Map<String, Long> records, LogCopy.Totals logs, Duration took) {

    long jobs() {
        return records.getOrDefault("jobs", 0L);
    }

    String describe() {
        double seconds = took.toMillis() / 1000.0;
        return String.format(Locale.ROOT, "moved %,d jobs, %,d other records, %,d logs with %,d events (%s of log"
                        + " files) in %.1f s (%,.0f events/s)",
                jobs(), records.values().stream().mapToLong(Long::longValue).sum() - jobs(), logs.logs(),
                logs.events(), size(logs.bytes()), seconds, seconds > 0 ? logs.events() / seconds : 0.0);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
