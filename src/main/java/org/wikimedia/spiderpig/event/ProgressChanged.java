package org.wikimedia.spiderpig.event;

public record ProgressChanged(Progress progress) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.PROGRESS;
    }
}
