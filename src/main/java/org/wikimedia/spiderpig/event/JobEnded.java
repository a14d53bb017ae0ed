package org.wikimedia.spiderpig.event;

/** The last event of every job's log: nothing follows it. */
public record JobEnded(String state, Integer exitCode) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.END;
    }
}
