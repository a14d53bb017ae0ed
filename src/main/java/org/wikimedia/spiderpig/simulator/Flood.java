package org.wikimedia.spiderpig.simulator;

import java.io.PrintStream;

/** Prints numbered plain lines, as fast as possible or at a given rate: for load and browser tests. */
final class Flood {

    private Flood() {
    }

    static int run(PrintStream out, long lines, double linesPerSecond) {
        long start = System.nanoTime();
        for (long i = 1; i <= lines; i++) {
            if (linesPerSecond > 0) {
                long due = start + (long) ((i - 1) * 1_000_000_000L / linesPerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
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
