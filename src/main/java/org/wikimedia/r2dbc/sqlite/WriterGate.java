package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.R2dbcTransientResourceException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serializes logical connections' use of the single writer connection. The owner (a logical connection) may acquire
 * again while it holds the gate (it keeps it across a transaction and while it reads a cursor on the writer);
 * others queue in arrival order. Waiting longer than the busy timeout fails like SQLITE_BUSY would.
 */
final class WriterGate {

    private final Duration timeout;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private Object owner;
    private int holds;
    final WaitTimes waitTimes = new WaitTimes();

    WriterGate(Duration timeout) {
        this.timeout = timeout;
    }

    Mono<Void> acquire(Object who) {
        return Mono.create(sink -> {
            Waiter waiter;
            synchronized (this) {
                if (owner == null || owner == who) {
                    owner = who;
                    holds++;
                    waiter = null;
                } else {
                    waiter = new Waiter(who, sink, System.nanoTime());
                    waiters.add(waiter);
                }
            }
            if (waiter == null) {
                sink.success();
                return;
            }
            var timer = Schedulers.parallel().schedule(() -> {
                if (waiter.done.compareAndSet(false, true)) {
                    synchronized (this) {
                        waiters.remove(waiter);
                    }
                    sink.error(new R2dbcTransientResourceException("database is locked: the writer stayed busy for "
                        + timeout.toMillis() + " ms (busy timeout)", "40001", 5));
                }
            }, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            // Not cancellable on purpose: a grant racing a cancel would leak the gate. Callers that no longer
            // need it release it as soon as it is granted.
            waiter.timer = timer;
        });
    }

    void release(Object who) {
        Waiter next;
        synchronized (this) {
            if (owner != who || holds == 0) {
                return;
            }
            if (--holds > 0) {
                return;
            }
            owner = null;
            next = grantNext();
        }
        if (next != null) {
            if (next.timer != null) {
                next.timer.dispose();
            }
            waitTimes.waitedSince(next.since);
            next.sink.success();
        }
    }

    /** Drops every hold of {@code who}, for a connection that is closing. */
    void releaseAll(Object who) {
        Waiter next;
        synchronized (this) {
            if (owner != who) {
                return;
            }
            holds = 0;
            owner = null;
            next = grantNext();
        }
        if (next != null) {
            waitTimes.waitedSince(next.since);
            next.sink.success();
        }
    }

    /** Adds a hold for an owner that holds the gate now (a transaction starting inside a statement). */
    synchronized void reenter(Object who) {
        if (owner != who) {
            throw new IllegalStateException("writer gate is not held by " + who);
        }
        holds++;
    }

    synchronized int waiting() {
        return waiters.size();
    }

    synchronized boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    synchronized boolean isHeldBy(Object who) {
        return owner == who;
    }

    private Waiter grantNext() {
        Waiter next;
        while ((next = waiters.poll()) != null) {
            if (next.done.compareAndSet(false, true)) {
                owner = next.who;
                holds = 1;
                // Other waiters of the same owner may enter too.
                return next;
            }
        }
        return null;
    }

    private static final class Waiter {
        final Object who;
        final MonoSink<Void> sink;
        final AtomicBoolean done = new AtomicBoolean();
        final long since;
        volatile reactor.core.Disposable timer;

        Waiter(Object who, MonoSink<Void> sink, long since) {
            this.who = who;
            this.sink = sink;
            this.since = since;
        }
    }
}
