package org.wikimedia.spiderpig.model.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;

/**
 * The JSON of an output line, written byte by byte: the same bytes Jackson writes for it (same fields,
 * order and escapes; {@code EventJsonTest} holds the two to that), without a generator per line. Lines
 * are nearly every record stored and every message sent, so this is the server's hottest loop.
 */
final class LineJson {

    private static final long FIRST_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** {@code "type":"line",}, just after the opening brace of a record. */
    private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, new byte[0]);

    private byte[] bytes;
    private int size;

    private LineJson(int capacity) {
        bytes = new byte[capacity];
    }

    static byte[] of(JobEvent event, OutputLine line, boolean withType) {
        String text = line.text();
        LineJson json = new LineJson((text == null ? 0 : text.length()) + 160);
        json.ascii(withType ? "{\"type\":\"line\",\"seq\":" : "{\"seq\":").number(event.seq())
                .ascii(",\"ts\":\"").instant(event.ts())
                .ascii("\",\"line\":").number(line.line())
                .ascii(",\"stream\":").string(line.stream() == null ? null : line.stream().wireName())
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

    /** What {@link Instant#toString} writes, without its general formatter for years 0 to 9999. */
    private LineJson instant(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return ascii(instant.toString());
        }
        // Lines come many to a second: the date and time up to the second are made once per second.
        SecondText second = lastSecond;
        if (second.epochSecond() != seconds) {
            second = new SecondText(seconds, secondText(seconds));
            lastSecond = second;
        }
        ensure(30);
        System.arraycopy(second.text(), 0, bytes, size, second.text().length);
        size += second.text().length;
        int nanos = instant.getNano();
        if (nanos > 0) {
            literal('.');
            if (nanos % 1_000_000 == 0) {
                digits(nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                digits(nanos / 1000, 6);
            } else {
                digits(nanos, 9);
            }
        }
        return literal('Z');
    }

    /** {@code 2026-11-22T10:00:00} for a second of years 0 to 9999. */
    private static byte[] secondText(long epochSecond) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400));
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        LineJson text = new LineJson(19);
        text.digits(date.getYear(), 4).literal('-').digits(date.getMonthValue(), 2).literal('-')
                .digits(date.getDayOfMonth(), 2).literal('T').digits(secondOfDay / 3600, 2).literal(':')
                .digits(secondOfDay / 60 % 60, 2).literal(':').digits(secondOfDay % 60, 2);
        return text.bytes;
    }

    private record SecondText(long epochSecond, byte[] text) {
    }

    private LineJson literal(char ascii) {
        bytes[size++] = (byte) ascii;
        return this;
    }

    /** {@code value} in exactly {@code count} decimal digits, zero-padded; the caller ensured the room. */
    private LineJson digits(int value, int count) {
        for (int i = size + count - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += count;
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

    /**
     * Reads a stored line record as {@link #of} writes it (fields in that order), or returns null for
     * anything else, which the caller then reads with Jackson: a shortcut, never a second judge.
     */
    static JobEvent read(long jobId, byte[] record, int offset, int length) {
        Reader in = new Reader(record, offset, offset + length);
        if (!in.expect("{\"type\":\"line\",\"seq\":")) {
            return null;
        }
        long seq = in.number();
        if (seq < 0 || !in.expect(",\"ts\":")) {
            return null;
        }
        String ts = in.string();
        if (ts == null || !in.expect(",\"line\":")) {
            return null;
        }
        long line = in.number();
        if (line < 0 || !in.expect(",\"stream\":")) {
            return null;
        }
        String streamName = in.stringOrNull();
        OutputLine.Stream stream = OutputLine.Stream.ofWireName(streamName);
        if (in.failed || (stream == null && streamName != null) || !in.expect(",\"text\":")) {
            return null;
        }
        String text = in.stringOrNull();
        if (in.failed) {
            return null;
        }
        boolean sensitive;
        if (in.expect(",\"sensitive\":true}")) {
            sensitive = true;
        } else if (in.expect(",\"sensitive\":false}")) {
            sensitive = false;
        } else {
            return null;
        }
        if (!in.atEnd()) {
            return null;
        }
        return new JobEvent(jobId, seq, EventJson.parseInstant(ts), new OutputLine(line, stream, text, sensitive));
    }

    /** A cursor over one record's bytes; any surprise sets {@link #failed} or returns null/-1. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int at;
        private boolean failed;

        Reader(byte[] bytes, int from, int end) {
            this.bytes = bytes;
            this.at = from;
            this.end = end;
        }

        boolean expect(String ascii) {
            int length = ascii.length();
            if (end - at < length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (bytes[at + i] != ascii.charAt(i)) {
                    return false;
                }
            }
            at += length;
            return true;
        }

        boolean atEnd() {
            return at == end;
        }

        /** A non-negative decimal number, or -1. */
        long number() {
            int start = at;
            long value = 0;
            while (at < end && bytes[at] >= '0' && bytes[at] <= '9' && at - start < 18) {
                value = value * 10 + (bytes[at++] - '0');
            }
            return at == start || (at < end && bytes[at] >= '0' && bytes[at] <= '9') ? -1 : value;
        }

        String stringOrNull() {
            if (expect("null")) {
                return null;
            }
            String value = string();
            failed = value == null;
            return value;
        }

        /** A JSON string, or null if there is none here or it is not one this writer could have written. */
        String string() {
            if (at >= end || bytes[at] != '"') {
                return null;
            }
            int start = ++at;
            while (at < end && bytes[at] != '"' && bytes[at] != '\\') {
                at++;
            }
            if (at < end && bytes[at] == '"') {
                return new String(bytes, start, at++ - start, StandardCharsets.UTF_8);
            }
            return escapedString(start);
        }

        private String escapedString(int start) {
            StringBuilder value = new StringBuilder();
            int plainFrom = start;
            at = start;
            while (at < end) {
                byte b = bytes[at];
                if (b == '"') {
                    value.append(new String(bytes, plainFrom, at - plainFrom, StandardCharsets.UTF_8));
                    at++;
                    return value.toString();
                }
                if (b != '\\') {
                    at++;
                    continue;
                }
                value.append(new String(bytes, plainFrom, at - plainFrom, StandardCharsets.UTF_8));
                if (at + 1 >= end) {
                    return null;
                }
                byte escaped = bytes[at + 1];
                at += 2;
                switch (escaped) {
                    case '"' -> value.append('"');
                    case '\\' -> value.append('\\');
                    case '/' -> value.append('/');
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'u' -> {
                        if (end - at < 4) {
                            return null;
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = Character.digit(bytes[at + i], 16);
                            if (digit < 0) {
                                return null;
                            }
                            code = code * 16 + digit;
                        }
                        at += 4;
                        value.append((char) code);
                    }
                    default -> {
                        return null;
                    }
                }
                plainFrom = at;
            }
            return null;
        }
    }
}
