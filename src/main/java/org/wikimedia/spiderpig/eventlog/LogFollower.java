package org.wikimedia.spiderpig.eventlog;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.wikimedia.spiderpig.model.JobEvent;
import reactor.core.publisher.Operators;

/**
 * One subscriber's cursor over a log: it emits the events after {@code cursor} as far as the subscriber
 * asked, taking them from the log's ring of recent events or, when they have left it, from the files (a
 * read on the I/O scheduler), and waits on the log's "published" signal when it has emitted everything.
 *
 * <p>It holds at most one batch (bounded in events and bytes) and only fetches it when the subscriber has
 * demand, so however slow the subscriber is, it costs one batch of memory. All state changes happen in {@link #drain()}, which one
 * thread at a time runs (the usual work-in-progress counter); a wake-up, a request and the end of a file
 * read all just call it. Whatever fails in there (an {@link Error} too) ends this follower with that
 * error and never leaves the counter raised, so the follower cannot hang.
 */
final class LogFollower implements Subscription {

    private final StoredJobEventLog log;
    private final Subscriber<? super List<JobEvent>> actual;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger work = new AtomicInteger();
    private final AtomicBoolean waiting = new AtomicBoolean();
    private final Runnable wake = () -> {
        waiting.set(false);
        drain();
    };
    private volatile boolean cancelled;
    private volatile List<JobEvent> readResult;
    private volatile Throwable readError;

    // Touched by the draining thread only.
    private long cursor;
    private long emitted;
    private List<JobEvent> batch;
    private boolean reading;
    private boolean done;

    LogFollower(StoredJobEventLog log, Subscriber<? super List<JobEvent>> actual, long afterSeq) {
        this.log = log;
        this.actual = actual;
        this.cursor = afterSeq;
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            requested.getAndUpdate(current -> Operators.addCap(current, n));
            drain();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        log.removeWaiter(wake);
    }

    void drain() {
        if (work.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            try {
                step();
            } catch (Throwable e) {
                failed(e);
            }
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Ends the follower after an unexpected failure; the subscriber may be the one that threw. */
    private void failed(Throwable error) {
        if (done) {
            return;
        }
        cancelled = true;
        try {
            finish(error);
        } catch (Throwable subscriberFailedAgain) {
            log.removeWaiter(wake);
        }
    }

    private void step() {
        while (!cancelled && !done) {
            if (reading) {
                if (readError != null) {
                    finish(readError);
                    return;
                }
                List<JobEvent> read = readResult;
                if (read == null) {
                    return;
                }
                readResult = null;
                reading = false;
                if (read.isEmpty()) {
                    finish(new IllegalStateException("the event log of job " + log.jobId()
                            + " answered no events after seq " + cursor));
                    return;
                }
                batch = read;
                // A read stops early at its byte budget: continue after what it gave.
                cursor = read.get(read.size() - 1).seq();
            }
            if (batch != null && emitted < requested.get() && !cancelled) {
                List<JobEvent> next = batch;
                batch = null;
                emitted++;
                actual.onNext(next);
            }
            if (batch != null || cancelled) {
                return;
            }
            if (emitted >= requested.get()) {
                // Completion needs no demand: after the end event, say so at once.
                LogTip tip = log.publishedTip();
                if (tip.ended() && cursor >= tip.seq()) {
                    finish(null);
                }
                return;
            }
            if (!fetch()) {
                return;
            }
        }
    }

    /** Gets the next batch into {@link #batch}; false when it has to wait (for a read or an append). */
    private boolean fetch() {
        LogTip tip = log.publishedTip();
        if (cursor < tip.seq()) {
            long from = cursor + 1;
            // Batches end at multiples of the batch size, so that followers behind the live edge, wherever
            // they started, soon ask for the very same runs of events, which the web layer then renders and
            // joins once for all of them.
            long to = Math.min(tip.seq(), (cursor / log.followBatch() + 1) * log.followBatch());
            List<JobEvent> recent = log.fromRing(from, to);
            if (recent != null) {
                FollowerReads.tookFromRing();
                batch = recent;
                cursor = recent.get(recent.size() - 1).seq();
                return true;
            }
            reading = true;
            FollowerReads.readFromStorage();
            log.readFromFiles(from, to, tip, events -> {
                readResult = events;
                drain();
            }, error -> {
                readError = error;
                drain();
            });
            return false;
        }
        if (tip.ended()) {
            finish(null);
            return false;
        }
        Throwable broken = log.broken();
        if (broken != null) {
            finish(broken);
            return false;
        }
        if (waiting.compareAndSet(false, true)) {
            log.addWaiter(wake);
        }
        // Published (or broken) between our look at the tip and the registration: the writer may have missed us.
        LogTip now = log.publishedTip();
        return now.seq() > cursor || now.ended() || log.broken() != null;
    }

    private void finish(Throwable error) {
        done = true;
        batch = null;
        log.removeWaiter(wake);
        if (error == null) {
            actual.onComplete();
        } else {
            actual.onError(error);
        }
    }
}
