package org.wikimedia.spiderpig.eventlog;

import java.time.Duration;

/**
 * Tuning of the file event logs. Every in-memory buffer of a log is bounded in bytes (as estimated by
 * {@link EventSize}) as well as in events, so that long lines cannot make a count-bounded buffer large.
 *
 * @param ringCapacity recent events each open log keeps in memory for live followers; a follower further
 *     behind reads the file, so this bounds memory, not correctness
 * @param ringBytes the most bytes of events a running job's ring holds (older events are dropped from it)
 * @param endedRingBytes what an ended log's ring keeps: ended logs stay cached, so this is what a
 *     finished job costs in memory
 * @param followBatch the most events a follower takes in one step (from the ring or one file read)
 * @param followBatchBytes the most bytes of events a follower takes in one step (at least one event)
 * @param cachedLogs how many logs {@link FileJobEventLogs} keeps in memory; only ended logs are dropped
 *     beyond it (a running job's log is always kept, so that it has exactly one writer)
 * @param writeBatchBytes the most bytes of events written in one batch; a job's output waits for the
 *     log once this much is queued and not yet written
 * @param wakeInterval the least time between two wakes of a log's waiting followers unless they are idle
 *     (all waiting again, for at least as long as the last wake kept them busy; zero: a wake per write):
 *     under a steady stream to many followers, or a flood, each then gets its lines in fewer, larger
 *     writes, while a quiet stream's lines leave at once
 * @param writeInterval the least time between the starts of two writes of a log's batches (zero: the next
 *     batch is written as soon as the last is): where a write is a database transaction (PostgreSQL), a steady
 *     stream's lines are stored in a few larger transactions rather than one per handful of lines, each of
 *     which costs the database, the driver and every other server's notice and read; a quiet stream's line is
 *     still written at once
 */
public record EventLogSettings(int ringCapacity, long ringBytes, long endedRingBytes, int followBatch,
                               long followBatchBytes, int cachedLogs, long writeBatchBytes, Duration wakeInterval,
                               Duration writeInterval) {

    public static final Duration DEFAULT_WAKE_INTERVAL = Duration.ofMillis(5);

    public static final long DEFAULT_RING_BYTES = 2L << 20;
    public static final long DEFAULT_ENDED_RING_BYTES = 64L << 10;
    public static final long DEFAULT_FOLLOW_BATCH_BYTES = 256L << 10;
    public static final long DEFAULT_WRITE_BATCH_BYTES = 1L << 20;

    public EventLogSettings {
        if (ringCapacity < 1 || followBatch < 1 || cachedLogs < 1 || ringBytes < 1 || endedRingBytes < 0
                || followBatchBytes < 1 || writeBatchBytes < 1 || wakeInterval.isNegative()
                || writeInterval.isNegative()) {
            throw new IllegalArgumentException("event log settings must be positive");
        }
    }

    /** No write interval: each batch written as soon as the last one is (as a file log does). */
    public EventLogSettings(int ringCapacity, long ringBytes, long endedRingBytes, int followBatch,
                            long followBatchBytes, int cachedLogs, long writeBatchBytes, Duration wakeInterval) {
        this(ringCapacity, ringBytes, endedRingBytes, followBatch, followBatchBytes, cachedLogs, writeBatchBytes,
                wakeInterval, Duration.ZERO);
    }

    /** These settings with {@code interval} between the starts of two writes. */
    public EventLogSettings withWriteInterval(Duration interval) {
        return new EventLogSettings(ringCapacity, ringBytes, endedRingBytes, followBatch, followBatchBytes,
                cachedLogs, writeBatchBytes, wakeInterval, interval);
    }

    /** The wake interval at its default. */
    public EventLogSettings(int ringCapacity, long ringBytes, long endedRingBytes, int followBatch,
                            long followBatchBytes, int cachedLogs, long writeBatchBytes) {
        this(ringCapacity, ringBytes, endedRingBytes, followBatch, followBatchBytes, cachedLogs, writeBatchBytes,
                DEFAULT_WAKE_INTERVAL);
    }

    /** Counts as given, byte budgets at their defaults. */
    public EventLogSettings(int ringCapacity, int followBatch, int cachedLogs) {
        this(ringCapacity, DEFAULT_RING_BYTES, DEFAULT_ENDED_RING_BYTES, followBatch, DEFAULT_FOLLOW_BATCH_BYTES,
                cachedLogs, DEFAULT_WRITE_BATCH_BYTES);
    }

    public static EventLogSettings defaults() {
        return new EventLogSettings(4096, 256, 64);
    }
}
