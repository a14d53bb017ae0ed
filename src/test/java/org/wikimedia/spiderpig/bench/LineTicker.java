package org.wikimedia.spiderpig.bench;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * A subprocess for the streaming benchmark: prints {@code count} lines, each carrying the time it was
 * written ({@code tick <n> <epoch micros>}), at {@code perSecond} lines a second (0: as fast as it can).
 * With a third argument {@code cpu} it ends with {@code cpu <nanoseconds>} on stderr, the CPU time it used
 * itself, so that a benchmark can tell its own share from that of whoever runs it.
 */
public final class LineTicker {

    private LineTicker() {
    }

    public static void main(String[] args) {
        long count = Long.parseLong(args[0]);
        double perSecond = Double.parseDouble(args[1]);
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
        long start = System.nanoTime();
        for (long i = 1; i <= count; i++) {
            if (perSecond > 0) {
                long due = start + (long) ((i - 1) * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing the load, not synchronizing a test
                }
            }
            Instant now = Instant.now();
            out.print("tick " + i + " " + (now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000) + "\n");
            if (perSecond > 0) {
                out.flush();
            }
        }
        out.flush();
        if (args.length > 2 && args[2].equals("cpu")) {
            System.err.println("cpu " + ((com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
        }
    }
}
