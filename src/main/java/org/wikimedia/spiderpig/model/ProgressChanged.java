package org.wikimedia.spiderpig.model;

public record ProgressChanged(Progress progress) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.PROGRESS;
    }
}
