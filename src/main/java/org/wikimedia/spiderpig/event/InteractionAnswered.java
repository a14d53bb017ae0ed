package org.wikimedia.spiderpig.event;

public record InteractionAnswered(InteractionView interaction) implements EventPayload {
    @Override
    public EventType type() {
        return EventType.INTERACTION_ANSWERED;
    }
}
