package org.wikimedia.spiderpig.web;

import java.nio.ByteBuffer;
import java.util.List;
import org.wikimedia.spiderpig.model.EventType;
import org.wikimedia.spiderpig.model.JobEvent;

/**
 * A run of consecutive events of one log and its joined messages ({@link SseMessages#writes}), the same
 * direct buffers for every stream that sends it: streams write duplicates and never change them.
 */
record SharedRun(List<JobEvent> events, List<ByteBuffer> writes) {

    long firstSeq() {
        return events.get(0).seq();
    }

    long lastSeq() {
        return events.get(events.size() - 1).seq();
    }

    /** The run ends the log: a stream that sent it is complete. */
    boolean ends() {
        return events.get(events.size() - 1).type() == EventType.END;
    }
}
