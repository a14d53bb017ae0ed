package org.wikimedia.spiderpig.model;

public record InteractionAnswered(Interaction interaction) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.INTERACTION_ANSWERED;
    }
}
