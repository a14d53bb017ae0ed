package org.wikimedia.r2dbc.sqlite;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;

/**
 * Leases read-only workers to queries. Taking and giving back a free reader needs no lock (every query does both);
 * only queries that must wait for a reader queue under one. A reader leased to a query that keeps a cursor open
 * stays leased until the cursor closes: it sees that cursor's snapshot, so it serves nobody else meanwhile.
 */
final class ReaderPool {

    private final DbWorker[] readers;
    /** 1 while leased; all leased until {@link #open()}. */
    private final AtomicIntegerArray leased;
    /** Queries queued or about to queue; read without the lock by {@link #release}. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final ArrayDeque<Consumer<DbWorker>> waiters = new ArrayDeque<>();
    private int heldByCursors;
    private volatile boolean closed;
    final WaitTimes waitTimes = new WaitTimes();

    ReaderPool(List<DbWorker> readers) {
        this.readers = readers.toArray(DbWorker[]::new);
        this.leased = new AtomicIntegerArray(this.readers.length);
        for (int i = 0; i < this.readers.length; i++) {
            leased.set(i, 1);
        }
    }

    /** The readers' connections are open: they may be leased. */
    void open() {
        for (int i = 0; i < readers.length; i++) {
            release(readers[i]);
        }
    }

    /**
     * Hands a reader to {@code grant}, now or when one is given back, and returns true; or returns false when there
     * are no readers or every one is held by an open cursor (whose consumer might be the caller: it must not wait
     * for itself), and the caller should use the writer. {@code grant} gets {@code null} if the pool closes first.
     */
    boolean acquire(Consumer<DbWorker> grant) {
        if (closed || readers.length == 0) {
            return false;
        }
        DbWorker reader = tryLease();
        if (reader == null) {
            synchronized (this) {
                if (closed) {
                    return false;
                }
                // Announce the wait before looking again, so that a reader given back meanwhile is either found
                // here or handed over by release(), which looks at the count after freeing it.
                waiting.incrementAndGet();
                reader = tryLease();
                if (reader == null) {
                    if (heldByCursors >= readers.length) {
                        waiting.decrementAndGet();
                        return false;
                    }
                    long since = System.nanoTime();
                    waiters.add(granted -> {
                        waitTimes.waitedSince(since);
                        grant.accept(granted);
                    });
                    return true;
                }
                waiting.decrementAndGet();
            }
        }
        grant.accept(reader);
        return true;
    }

    /**
     * A free reader, preferring the one whose thread is calling (a subscriber reacting to a result issues its next
     * query there: it then runs without waking another thread), then the lowest free one (warm threads first).
     */
    DbWorker tryLease() {
        Thread current = Thread.currentThread();
        for (int i = 0; i < readers.length; i++) {
            if (readers[i].runsOn(current)) {
                if (leased.compareAndSet(i, 0, 1)) {
                    return readers[i];
                }
                break;
            }
        }
        for (int i = 0; i < readers.length; i++) {
            if (leased.compareAndSet(i, 0, 1)) {
                return readers[i];
            }
        }
        return null;
    }

    /** Gives a reader back; the longest waiting query gets it. */
    void release(DbWorker reader) {
        int slot = slotOf(reader);
        leased.set(slot, 0);
        if (waiting.get() == 0 || !leased.compareAndSet(slot, 0, 1)) {
            return;
        }
        Consumer<DbWorker> next;
        synchronized (this) {
            next = waiters.poll();
            if (next == null) {
                leased.set(slot, 0);
                return;
            }
            waiting.decrementAndGet();
        }
        next.accept(reader);
    }

    int size() {
        return readers.length;
    }

    int inUse() {
        int count = 0;
        for (int i = 0; i < readers.length; i++) {
            count += leased.get(i);
        }
        return closed ? 0 : count;
    }

    int waiting() {
        return waiting.get();
    }

    synchronized void heldByCursors(int delta) {
        heldByCursors += delta;
    }

    void close() {
        List<Consumer<DbWorker>> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(waiters);
            waiters.clear();
        }
        left.forEach(grant -> grant.accept(null));
    }

    private int slotOf(DbWorker reader) {
        for (int i = 0; i < readers.length; i++) {
            if (readers[i] == reader) {
                return i;
            }
        }
        throw new IllegalArgumentException(reader.name() + " is not a reader of this pool");
    }
}
