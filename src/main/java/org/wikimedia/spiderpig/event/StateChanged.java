package org.wikimedia.spiderpig.event;

/** The job's state changed; {@code state} is a {@code JobState} wire name, exitCode null until it exits. */
public record StateChanged(String state, Integer exitCode) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.STATE;
    }
}
