package org.wikimedia.spiderpig.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FloodTest {

    /** Counts the writes that reach it: each would be a write to the job's pipe. */
    private static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;

        @Override
        public void write(int b) {
            writes++;
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes++;
            bytes.write(b, off, len);
        }
    }

    @Test
    void atARateTheLinesGoOutInBlocksNotAWriteALine() {
        CountingStream pipe = new CountingStream();
        PrintStream out = new PrintStream(new BufferedOutputStream(pipe, 1 << 16), false, StandardCharsets.UTF_8);

        assertThat(Flood.run(out, 10_000, 50_000)).isZero();

        String[] lines = pipe.bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(10_000);
        for (int i = 0; i < lines.length; i++) {
            assertThat(lines[i]).isEqualTo("flood line " + (i + 1) + " of 10000: the quick brown fox jumps over the lazy dog");
        }
        // 0.2 s of lines: a sleep (and the write before it) at most every 2 ms, however slow the machine, and a
        // write whenever the 64 KiB buffer fills; sleeping until each line was due wrote once a line
        assertThat(pipe.writes).isLessThan(200);
    }
}
