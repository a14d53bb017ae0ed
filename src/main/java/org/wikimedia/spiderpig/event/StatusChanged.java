package org.wikimedia.spiderpig.event;

public record StatusChanged(String status) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.STATUS;
    }
}
