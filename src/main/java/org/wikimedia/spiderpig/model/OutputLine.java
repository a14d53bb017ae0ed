package org.wikimedia.spiderpig.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One line of a job's output. {@code line} is its 1-based line number, given by the job's event log
 * when the line is appended (0 before that).
 */
public record OutputLine(long line, Stream stream, String text, boolean sensitive) implements EventPayload {

    /** Where the command wrote the line. */
    public enum Stream {
        STDOUT("stdout"),
        STDERR("stderr");

        private final String wireName;

        Stream(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        /** The stream of a stored or received name; null for a name that is not one (older or odd records). */
        public static Stream ofWireName(String name) {
            if (name == null) {
                return null;
            }
            return switch (name) {
                case "stdout" -> STDOUT;
                case "stderr" -> STDERR;
                default -> null;
            };
        }
    }

    public static OutputLine unnumbered(Stream stream, String text, boolean sensitive) {
        return new OutputLine(0, stream, text, sensitive);
    }

    public OutputLine withLine(long number) {
        return new OutputLine(number, stream, text, sensitive);
    }

    public OutputLine withText(String newText) {
        return new OutputLine(line, stream, newText, sensitive);
    }

    @Override
    public EventType type() {
        return EventType.LINE;
    }
}
