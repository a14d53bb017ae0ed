package org.wikimedia.spiderpig.store.r2dbc;

import java.time.Instant;
import org.wikimedia.spiderpig.eventlog.LogTip;

/**
 * The payload of a notice on {@value PostgresLogStorage#CHANNEL}: {@code <job>:<seq>:<line count>:<ended 0|1>},
 * the stored end of a job's log after a batch, enough for a server that follows the job to know what to read.
 */
record LogNotice(long jobId, LogTip tip) {

    static String of(long jobId, LogTip tip) {
        return jobId + ":" + tip.seq() + ":" + tip.lineCount() + ":" + (tip.ended() ? 1 : 0);
    }

    /** The notice in {@code payload}; {@link IllegalArgumentException} when it is none. */
    static LogNotice parse(String payload) {
        String[] parts = payload == null ? new String[0] : payload.split(":");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a job event notice: " + payload);
        }
        try {
            // No time of the last event: only a writer uses it (to keep times from going backwards), from its own writes.
            return new LogNotice(Long.parseLong(parts[0]), new LogTip(Long.parseLong(parts[1]),
                    Long.parseLong(parts[2]), 0, Instant.EPOCH, "1".equals(parts[3])));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a job event notice: " + payload, e);
        }
    }
}
