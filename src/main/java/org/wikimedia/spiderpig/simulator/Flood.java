package org.wikimedia.spiderpig.simulator;

import java.io.PrintStream;

/** Prints numbered plain lines, as fast as possible or at a given rate: for load and browser tests. */
final class Flood {

    /**
     * At a given rate, lines are written in blocks, as a program writing to a pipe through a buffer does: the
     * flood sleeps only once it is this far ahead. Sleeping until each line was due (every 20 µs at 50,000
     * lines a second) made a write and a sleep per line: the server with the job, its supervisor and the
     * page's stream took 0.62-0.86 of a core in the browser test's flood, 0.44-0.56 with the lines in blocks.
     */
    private static final long MIN_SLEEP_NANOS = 2_000_000L;

    private Flood() {
    }

    static int run(PrintStream out, long lines, double linesPerSecond) {
        long start = System.nanoTime();
        for (long i = 1; i <= lines; i++) {
            if (linesPerSecond > 0) {
                long due = start + (long) ((i - 1) * 1_000_000_000L / linesPerSecond);
                long wait = due - System.nanoTime();
                if (wait >= MIN_SLEEP_NANOS) {
                    out.flush();
                    try {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 1;
                    }
                }
            }
            out.print("flood line ");
            out.print(i);
            out.print(" of ");
            out.print(lines);
            out.println(": the quick brown fox jumps over the lazy dog");
        }
        out.flush();
        return out.checkError() ? 1 : 0;
    }
}
