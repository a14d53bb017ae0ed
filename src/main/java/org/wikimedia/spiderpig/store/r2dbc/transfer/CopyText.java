package org.wikimedia.spiderpig.store.r2dbc.transfer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Rows in the text format of PostgreSQL's {@code COPY … FROM STDIN}, UTF-8, taken out in chunks as they fill.
 * Fields are separated by tabs and rows end with a newline, so a value's own backslashes, tabs, newlines and
 * carriage returns are written as the backslash escapes COPY reads back ({@code \\ \t \n \r}); every other byte
 * goes as it is, which is safe for UTF-8 (bytes of a multi-byte character are all 0x80 and above). A NUL byte is
 * refused: PostgreSQL's text cannot hold one (stored events never have one: JSON writes it as {@code \u0000}).
 */
final class CopyText {

    private final int capacity;
    private byte[] bytes;
    private int size;
    private boolean rowStarted;

    CopyText(int capacity) {
        this.capacity = capacity;
        bytes = new byte[capacity];
    }

    CopyText field(long value) {
        return ascii(Long.toString(value));
    }

    /** A value whose characters need no escape (digits, a timestamp). */
    CopyText ascii(String value) {
        separate();
        int length = value.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) value.charAt(i);
        }
        return this;
    }

    CopyText nullField() {
        separate();
        ensure(2);
        bytes[size++] = '\\';
        bytes[size++] = 'N';
        return this;
    }

    /** Text, as its UTF-8 bytes. */
    CopyText field(byte[] utf8) {
        separate();
        // Room for every byte escaped: no check per byte.
        ensure(2 * utf8.length);
        for (byte b : utf8) {
            switch (b) {
                case '\\' -> escaped('\\');
                case '\t' -> escaped('t');
                case '\n' -> escaped('n');
                case '\r' -> escaped('r');
                case 0 -> throw new IllegalArgumentException("a NUL byte cannot be stored in PostgreSQL's text");
                default -> bytes[size++] = b;
            }
        }
        return this;
    }

    CopyText endRow() {
        ensure(1);
        bytes[size++] = '\n';
        rowStarted = false;
        return this;
    }

    /** Bytes written and not yet taken. */
    int size() {
        return size;
    }

    /** The rows written so far, for COPY's input; this starts empty again. */
    ByteBuf take() {
        ByteBuf chunk = Unpooled.wrappedBuffer(bytes, 0, size);
        // A long line grew the array: the next chunk starts at the usual size again.
        bytes = new byte[capacity];
        size = 0;
        return chunk;
    }

    private void separate() {
        if (rowStarted) {
            ensure(1);
            bytes[size++] = '\t';
        }
        rowStarted = true;
    }

    private void escaped(char c) {
        bytes[size++] = '\\';
        bytes[size++] = (byte) c;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
