package org.wikimedia.spiderpig.model;

public record InteractionClosed(Interaction interaction) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.INTERACTION_CLOSED;
    }
}
