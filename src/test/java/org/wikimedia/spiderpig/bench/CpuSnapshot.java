package org.wikimedia.spiderpig.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Where the machine's CPU went over a round, from /proc: each server's threads by kind (digits in the names
 * dropped: reactor-http-epoll-3 as reactor-http-epoll-N), this JVM (the benchmark's clients), the PostgreSQL
 * processes, and the whole machine. Taken at the answer that starts a round and after its last stream ended;
 * the difference says whether a late line waited for a saturated machine or for one thread of the server.
 */
record CpuSnapshot(Instant at, List<Map<String, Long>> serverThreads, long clientTicks, long postgresTicks,
                   long machineBusy, long machineTotal, long databaseTransactions) {

    /** Kernel clock ticks a second (USER_HZ; 100 on Linux everywhere this runs). */
    private static final double HZ = 100.0;

    /** {@code transactions}: the database's committed transactions so far, a count the round's difference is shown of. */
    static CpuSnapshot of(List<Long> serverPids, LongSupplier transactions) {
        long[] machine = machine();
        return new CpuSnapshot(Instant.now(), serverPids.stream().map(CpuSnapshot::threadTicks).toList(),
                processTicks(ProcessHandle.current().pid()), postgresProcessTicks(), machine[0], machine[1],
                transactions.getAsLong());
    }

    /** Each server's busiest thread kinds since {@code before}, then the harness (the clients are a process of their own: their CPU is the round's), PostgreSQL and the machine. */
    String since(CpuSnapshot before, List<String> serverNames) {
        List<String> parts = new ArrayList<>();
        for (int s = 0; s < serverThreads.size(); s++) {
            parts.add(serverNames.get(s) + ": " + busiest(before.serverThreads.get(s), serverThreads.get(s)));
        }
        double busy = (machineBusy - before.machineBusy) / HZ;
        double total = (machineTotal - before.machineTotal) / HZ;
        parts.add(String.format(Locale.ROOT, "the harness JVM %.1f s, PostgreSQL %.1f s, machine busy %.1f of %.1f s (%.0f%%)",
                (clientTicks - before.clientTicks) / HZ, (postgresTicks - before.postgresTicks) / HZ, busy, total,
                total > 0 ? 100 * busy / total : 0));
        // The window, to cut a JFR recording to the round: jfr's times are UTC.
        parts.add(String.format(Locale.ROOT, "database transactions %d; from %s to %s",
                databaseTransactions - before.databaseTransactions, before.at, at));
        return String.join("; ", parts);
    }

    private static String busiest(Map<String, Long> before, Map<String, Long> after) {
        long all = after.values().stream().mapToLong(Long::longValue).sum()
                - before.values().stream().mapToLong(Long::longValue).sum();
        String threads = after.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0L)))
                .filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .map(entry -> String.format(Locale.ROOT, "%s %.1f", entry.getKey(), entry.getValue() / HZ))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%.1f s (%s)", all / HZ, threads);
    }

    /** CPU ticks per kind of thread of a process (digits in names as N: "CN CompilerThre" are the JIT's). */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> ticks = new TreeMap<>();
        for (Path task : list(Path.of("/proc", Long.toString(pid), "task"))) {
            String stat = read(task.resolve("stat"));
            if (stat != null) {
                ticks.merge(name(stat).replaceAll("\\d+", "N"), cpuTicks(stat), Long::sum);
            }
        }
        return ticks;
    }

    private static long processTicks(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        return stat == null ? 0 : cpuTicks(stat);
    }

    /** The PostgreSQL server's processes (postmaster, backends, writers), by their command name. */
    private static long postgresProcessTicks() {
        long ticks = 0;
        for (Path process : list(Path.of("/proc"))) {
            if (process.getFileName().toString().chars().allMatch(Character::isDigit)) {
                String stat = read(process.resolve("stat"));
                if (stat != null && name(stat).startsWith("postgres")) {
                    ticks += cpuTicks(stat);
                }
            }
        }
        return ticks;
    }

    /** The machine's busy (all but idle and iowait) and total ticks, over all cores, from /proc/stat. */
    private static long[] machine() {
        String stat = read(Path.of("/proc/stat"));
        if (stat == null) {
            return new long[] {0, 0};
        }
        String[] fields = stat.lines().findFirst().orElse("cpu").trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < fields.length && i <= 8; i++) {
            long value = Long.parseLong(fields[i]);
            total += value;
            if (i == 4 || i == 5) {
                idle += value;
            }
        }
        return new long[] {total - idle, total};
    }

    private static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** utime + stime: fields 14 and 15 of stat, counted after the command's closing parenthesis. */
    private static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static List<Path> list(Path directory) {
        try (var entries = Files.list(directory)) {
            return entries.toList();
        } catch (IOException gone) {
            return List.of();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException gone) {
            // A thread or process that ended between the listing and the read.
            return null;
        }
    }
}
