package org.wikimedia.spiderpig.event;

public record InteractionClosed(InteractionView interaction) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.INTERACTION_CLOSED;
    }
}
