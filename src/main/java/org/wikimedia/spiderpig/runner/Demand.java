package org.wikimedia.spiderpig.runner;

/**
 * The subscriber's outstanding demand, shared by a job's reader threads: a reader waits here until it
 * may emit, so a slow consumer leaves bytes in the pipe (and slows the command) instead of piling them
 * up in memory. A timer may emit a few events without waiting ({@link #takeWithoutWaiting()}); the
 * readers then wait until the subscriber has caught up.
 */
final class Demand {

    private long available;
    private boolean unbounded;
    private boolean cancelled;

    synchronized void add(long n) {
        if (n == Long.MAX_VALUE || available > Long.MAX_VALUE - n) {
            unbounded = true;
        } else {
            available += n;
        }
        notifyAll();
    }

    /** Waits for demand; answers false when the subscriber has gone. */
    synchronized boolean take() throws InterruptedException {
        while (!cancelled && !unbounded && available <= 0) {
            wait();
        }
        if (cancelled) {
            return false;
        }
        if (!unbounded) {
            available--;
        }
        return true;
    }

    /** Answers false when the subscriber has gone. */
    synchronized boolean takeWithoutWaiting() {
        if (!cancelled && !unbounded) {
            available--;
        }
        return !cancelled;
    }

    synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }
}
