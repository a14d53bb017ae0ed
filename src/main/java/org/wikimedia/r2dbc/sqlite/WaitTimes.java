package org.wikimedia.r2dbc.sqlite;

import java.util.concurrent.atomic.LongAdder;

/** How many times something waited and for how long in all: the two halves of a rate a monitor can divide. */
final class WaitTimes {

    private final LongAdder waits = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void waitedSince(long startNanos) {
        nanos.add(System.nanoTime() - startNanos);
        waits.increment();
    }

    long waits() {
        return waits.sum();
    }

    long nanos() {
        return nanos.sum();
    }
}
