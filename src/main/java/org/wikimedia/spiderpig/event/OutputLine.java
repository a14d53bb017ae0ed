package org.wikimedia.spiderpig.event;

/**
 * One line of a job's output. {@code line} is its 1-based line number, given by the job's event log
 * when the line is appended (0 before that); {@code stream} is {@code stdout} or {@code stderr}.
 */
public record OutputLine(long line, String stream, String text, boolean sensitive) implements EventPayload {

    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";

    public static OutputLine unnumbered(String stream, String text, boolean sensitive) {
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
