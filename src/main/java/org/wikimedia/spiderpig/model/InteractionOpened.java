package org.wikimedia.spiderpig.model;

public record InteractionOpened(Interaction interaction) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.INTERACTION;
    }
}
