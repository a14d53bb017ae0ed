package org.wikimedia.spiderpig.eventlog;

/**
 * Tuning of the file event logs.
 *
 * @param ringCapacity recent events each open log keeps in memory for live followers; a follower further
 *     behind reads the file, so this bounds memory, not correctness
 * @param followBatch the most events a follower takes in one step (from the ring or one file read)
 * @param cachedLogs how many logs {@link FileJobEventLogs} keeps in memory; only ended logs are dropped
 *     beyond it (a running job's log is always kept, so that it has exactly one writer)
 */
public record EventLogSettings(int ringCapacity, int followBatch, int cachedLogs) {

    public EventLogSettings {
        if (ringCapacity < 1 || followBatch < 1 || cachedLogs < 1) {
            throw new IllegalArgumentException("event log settings must be positive");
        }
    }

    public static EventLogSettings defaults() {
        return new EventLogSettings(4096, 256, 64);
    }
}
