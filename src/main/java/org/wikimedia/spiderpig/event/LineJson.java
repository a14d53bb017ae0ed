package org.wikimedia.spiderpig.event;

import java.util.Arrays;

/**
 * The JSON of an output line, written byte by byte: the same bytes Jackson writes for it (same fields,
 * order and escapes; {@code EventJsonTest} holds the two to that), without a generator per line. Lines
 * are nearly every record stored and every message sent, so this is the server's hottest loop.
 */
final class LineJson {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int size;

    private LineJson(int capacity) {
        bytes = new byte[capacity];
    }

    static byte[] of(JobEvent event, OutputLine line, boolean withType) {
        String text = line.text();
        LineJson json = new LineJson((text == null ? 0 : text.length()) + 160);
        json.ascii(withType ? "{\"type\":\"line\",\"seq\":" : "{\"seq\":").number(event.seq())
                .ascii(",\"ts\":\"").ascii(event.ts().toString())
                .ascii("\",\"line\":").number(line.line())
                .ascii(",\"stream\":").string(line.stream())
                .ascii(",\"text\":").string(text)
                .ascii(line.sensitive() ? ",\"sensitive\":true}" : ",\"sensitive\":false}");
        return Arrays.copyOf(json.bytes, json.size);
    }

    private LineJson ascii(String ascii) {
        int length = ascii.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    private LineJson number(long value) {
        return ascii(Long.toString(value));
    }

    private LineJson string(String value) {
        if (value == null) {
            return ascii("null");
        }
        int length = value.length();
        ensure(length + 2);
        bytes[size++] = '"';
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ensure(1);
                bytes[size++] = (byte) c;
            } else if (c < 0x80) {
                escape(c);
            } else if (c < 0x800) {
                ensure(2);
                bytes[size++] = (byte) (0xC0 | c >> 6);
                bytes[size++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                ensure(4);
                bytes[size++] = (byte) (0xF0 | codePoint >> 18);
                bytes[size++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                bytes[size++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                bytes[size++] = (byte) (0x80 | codePoint & 0x3F);
            } else if (Character.isSurrogate(c)) {
                // Half a character: what String.getBytes writes for it.
                ensure(1);
                bytes[size++] = '?';
            } else {
                ensure(3);
                bytes[size++] = (byte) (0xE0 | c >> 12);
                bytes[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[size++] = (byte) (0x80 | c & 0x3F);
            }
        }
        ensure(1);
        bytes[size++] = '"';
        return this;
    }

    private void escape(char c) {
        ensure(6);
        bytes[size++] = '\\';
        switch (c) {
            case '"' -> bytes[size++] = '"';
            case '\\' -> bytes[size++] = '\\';
            case '\b' -> bytes[size++] = 'b';
            case '\f' -> bytes[size++] = 'f';
            case '\n' -> bytes[size++] = 'n';
            case '\r' -> bytes[size++] = 'r';
            case '\t' -> bytes[size++] = 't';
            default -> {
                bytes[size++] = 'u';
                bytes[size++] = '0';
                bytes[size++] = '0';
                bytes[size++] = HEX[c >> 4];
                bytes[size++] = HEX[c & 0xF];
            }
        }
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
