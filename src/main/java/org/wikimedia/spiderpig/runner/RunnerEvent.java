package org.wikimedia.spiderpig.runner;

import java.util.Map;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.Progress;

/** What a running subprocess tells the job engine, in the order it happened. */
public sealed interface RunnerEvent {

    /** A line of output ({@code stream} is {@code stdout} or {@code stderr}), or a protocol {@code line} message. */
    record Output(OutputLine.Stream stream, String text, boolean sensitive) implements RunnerEvent {
    }

    /** A protocol {@code status} message. */
    record Status(String status) implements RunnerEvent {
    }

    /** A protocol {@code progress} message. */
    record ProgressReport(Progress progress) implements RunnerEvent {
    }

    /**
     * The subprocess waits for an answer: a protocol {@code interaction} message or a detected plain
     * prompt. {@code kind} is {@code choices} or {@code input_line}; choices map label to key, in order.
     */
    record Prompt(String kind, String prompt, Map<String, String> choices, String defaultKey) implements RunnerEvent {
    }

    /**
     * An event read from the job's spool, with the spool position just after it: persisted with the event,
     * it is where a restarted server reads on from.
     */
    record Marked(RunnerEvent event, org.wikimedia.spiderpig.model.SpoolMark mark) implements RunnerEvent {
    }

    /**
     * The last event when the command's end is unknown: its supervisor died before the command ended
     * (killed, or the machine restarted). {@code reason} says what is known.
     */
    record Lost(String reason) implements RunnerEvent {
    }

    /** The last event: the process exited with {@code exitCode}, or was killed by {@code signal} (else null). */
    record Exited(int exitCode, Integer signal) implements RunnerEvent {
    }
}
