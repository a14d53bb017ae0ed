package org.wikimedia.spiderpig.simulator;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
        LineWriter line = new LineWriter(lines);
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
            line.write(out, i);
        }
        out.flush();
        return out.checkError() ? 1 : 0;
    }

    /**
     * Writes "flood line {i} of {lines}: the quick brown fox jumps over the lazy dog" as bytes into one buffer:
     * a print per piece went through the stream's character encoder each time, and at 50,000 lines a second
     * the job took 0.06-0.14 of a core, in the browser test beside the server and the browser it measures.
     */
    private static final class LineWriter {
        private static final byte[] HEAD = "flood line ".getBytes(StandardCharsets.US_ASCII);
        private final byte[] tail;
        private final byte[] buffer;

        LineWriter(long lines) {
            tail = (" of " + lines + ": the quick brown fox jumps over the lazy dog\n").getBytes(StandardCharsets.US_ASCII);
            buffer = new byte[HEAD.length + 20 + tail.length];
            System.arraycopy(HEAD, 0, buffer, 0, HEAD.length);
        }

        void write(PrintStream out, long number) {
            int digits = 1;
            for (long rest = number / 10; rest > 0; rest /= 10) {
                digits++;
            }
            int at = HEAD.length + digits;
            for (long rest = number; at > HEAD.length; rest /= 10) {
                buffer[--at] = (byte) ('0' + rest % 10);
            }
            System.arraycopy(tail, 0, buffer, HEAD.length + digits, tail.length);
            out.write(buffer, 0, HEAD.length + digits + tail.length);
        }
    }
}
