package org.wikimedia.spiderpig.eventlog;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where the followers of this server's logs took their batches, process-wide: from a log's ring of recent
 * events, or from its storage (a file or database read). Followers at the live edge should find nearly all in
 * the ring; storage reads there mean they fell behind it (or were sent to it early), which on a database costs
 * a connection per read.
 */
public final class FollowerReads {

    private static final LongAdder FROM_RING = new LongAdder();
    private static final LongAdder FROM_STORAGE = new LongAdder();

    private FollowerReads() {
    }

    public static long fromRing() {
        return FROM_RING.sum();
    }

    public static long fromStorage() {
        return FROM_STORAGE.sum();
    }

    static void tookFromRing() {
        FROM_RING.increment();
    }

    static void readFromStorage() {
        FROM_STORAGE.increment();
    }
}
