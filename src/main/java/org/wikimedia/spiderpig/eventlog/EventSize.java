package org.wikimedia.spiderpig.eventlog;

import org.wikimedia.spiderpig.model.EventPayload;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;

/**
 * What an event costs in memory, for the byte budgets of {@link EventLogSettings}: a line's text at two
 * bytes a character (the most a Java string takes), plus a fixed overhead for the objects around it. Other
 * events are small and counted at the overhead.
 */
public final class EventSize {

    static final int OVERHEAD = 128;

    private EventSize() {
    }

    public static long of(EventPayload payload) {
        return payload instanceof OutputLine line && line.text() != null ? OVERHEAD + 2L * line.text().length() : OVERHEAD;
    }

    public static long of(JobEvent event) {
        return of(event.payload());
    }
}
