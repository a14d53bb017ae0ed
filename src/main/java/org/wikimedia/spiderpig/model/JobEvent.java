package org.wikimedia.spiderpig.model;

import java.time.Instant;

/**
 * An event as kept in a job's event log: {@code seq} is its position in that log (1, 2, 3, …, no gaps),
 * which is also the SSE {@code id}, so a client resumes with {@code Last-Event-ID}.
 */
public record JobEvent(long jobId, long seq, Instant ts, EventPayload payload) {

    public EventType type() {
        return payload.type();
    }
}
