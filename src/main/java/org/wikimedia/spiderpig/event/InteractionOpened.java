package org.wikimedia.spiderpig.event;

public record InteractionOpened(InteractionView interaction) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.INTERACTION;
    }
}
