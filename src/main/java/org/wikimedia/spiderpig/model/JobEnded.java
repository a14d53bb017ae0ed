package org.wikimedia.spiderpig.model;

/** The last event of every job's log: nothing follows it. */
public record JobEnded(JobState state, Integer exitCode) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.END;
    }
}
