package org.wikimedia.spiderpig.model;

public record StatusChanged(String status) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.STATUS;
    }
}
