package org.wikimedia.spiderpig.model;

/** Someone asked to cancel the job; {@code by} is the user's name. */
public record CancelRequested(String by) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.CANCEL_REQUESTED;
    }
}
