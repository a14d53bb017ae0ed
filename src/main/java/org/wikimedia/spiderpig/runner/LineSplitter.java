package org.wikimedia.spiderpig.runner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts one output stream's bytes into lines, the way a person would read them in a terminal.
 *
 * <ul>
 *   <li>{@code \n} ends a line; a {@code \r} right before it is dropped.</li>
 *   <li>A lone {@code \r} starts a redraw: the next byte replaces the line, so a progress bar that
 *       redraws itself a thousand times becomes one line (its final state), not a thousand.</li>
 *   <li>A line longer than {@code maxLineBytes} is cut (never inside a UTF-8 character) and the piece
 *       ends with {@link #CONTINUES_MARKER}; the rest follows as the next line.</li>
 *   <li>Bytes are decoded as UTF-8; invalid bytes become U+FFFD.</li>
 * </ul>
 *
 * Not thread-safe: one reader feeds it, under its own lock when a timer also looks at the partial line.
 */
final class LineSplitter {

    static final String CONTINUES_MARKER = " [line continues]";

    private final int maxLineBytes;
    private byte[] buffer;
    private int count;
    /** A lone \r was seen: the next ordinary byte starts the line afresh. */
    private boolean redrawPending;
    /** The partial line was taken as a prompt: a newline that directly follows belongs to it. */
    private boolean swallowNextNewline;

    LineSplitter(int maxLineBytes) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be at least 16, not " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.buffer = new byte[Math.min(maxLineBytes + 1, 8192)];
    }

    /** Feeds bytes; answers the lines they completed, in order. */
    List<String> feed(byte[] bytes, int offset, int length) {
        List<String> lines = new ArrayList<>();
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (swallowNextNewline) {
                swallowNextNewline = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                lines.add(decode(0, count));
                count = 0;
                redrawPending = false;
            } else if (b == '\r') {
                redrawPending = true;
            } else {
                if (redrawPending) {
                    count = 0;
                    redrawPending = false;
                }
                append(b);
                if (count > maxLineBytes) {
                    lines.add(cutPiece());
                }
            }
        }
        return lines;
    }

    /** At the end of the stream: the last line if it had no newline, else nothing. */
    List<String> finish() {
        swallowNextNewline = false;
        redrawPending = false;
        if (count == 0) {
            return List.of();
        }
        String last = decode(0, count);
        count = 0;
        return List.of(last);
    }

    boolean hasPartial() {
        return count > 0;
    }

    /** The line being written, as it would look on a terminal now ("" when none). */
    String partial() {
        return decode(0, count);
    }

    /** Removes the partial line (it is being reported as a prompt) and answers it. */
    String takePartial() {
        String partial = decode(0, count);
        count = 0;
        redrawPending = false;
        swallowNextNewline = true;
        return partial;
    }

    /** As after {@link #takePartial()}: a newline that directly follows is taken as the prompt's end. */
    void expectPromptNewline() {
        swallowNextNewline = true;
    }

    private void append(byte b) {
        if (count == buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxLineBytes + 1));
        }
        buffer[count++] = b;
    }

    /** {@code count == maxLineBytes + 1}: cut at the cap, moved back to the start of a UTF-8 character. */
    private String cutPiece() {
        int cut = maxLineBytes;
        while (cut > maxLineBytes - 3 && isContinuationByte(buffer[cut])) {
            cut--;
        }
        if (isContinuationByte(buffer[cut])) {
            cut = maxLineBytes; // not valid UTF-8 anyway
        }
        String piece = decode(0, cut) + CONTINUES_MARKER;
        System.arraycopy(buffer, cut, buffer, 0, count - cut);
        count -= cut;
        return piece;
    }

    private static boolean isContinuationByte(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private String decode(int from, int to) {
        // String's UTF-8 decoding replaces malformed input with U+FFFD.
        return new String(buffer, from, to - from, StandardCharsets.UTF_8);
    }
}
