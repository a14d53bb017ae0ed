package org.wikimedia.spiderpig.model;

/** The kinds of event in a job's event log; {@link #wireName()} is the SSE {@code event:} field. */
public enum EventType {
    LINE("line"),
    STATUS("status"),
    PROGRESS("progress"),
    INTERACTION("interaction"),
    INTERACTION_ANSWERED("interaction-answered"),
    INTERACTION_CLOSED("interaction-closed"),
    CANCEL_REQUESTED("cancel-requested"),
    STATE("state"),
    END("end");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static EventType fromWireName(String name) {
        for (EventType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown event type: " + name);
    }
}
