package org.wikimedia.spiderpig.model;

/** The job's state changed; exitCode null until it exits. */
public record StateChanged(JobState state, Integer exitCode) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.STATE;
    }
}
