package org.wikimedia.spiderpig.eventlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.model.EventPayload;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One job's log in files (see {@link LogFiles}).
 *
 * <p>Appends are queued and written by one drain at a time on the I/O scheduler, in batches, so that a
 * burst of output costs one write per batch; the seq is given in queue order. Only after a batch is
 * written is it published: put into the ring of recent events, made visible through the {@link LogTip},
 * and the waiting followers are woken. A follower ({@link LogFollower}) is only a cursor: it takes the
 * events after its cursor from the ring, or, when they have left the ring, from the files; it never holds
 * more than one batch, so a slow follower costs memory for one batch and the job's progress never waits
 * for it.
 */
final class FileJobEventLog implements JobEventLog {

    private static final Logger LOG = LoggerFactory.getLogger(FileJobEventLog.class);
    private static final int MAX_WRITE_BATCH = 1024;
    private static final int WAKE_GROUP = 64;

    private final long jobId;
    private final LogFiles store;
    private final Scheduler io;
    private final Scheduler delivery;
    private final Clock clock;
    private final int followBatch;
    private final AtomicReferenceArray<JobEvent> ring;
    private final Queue<PendingAppend> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainWork = new AtomicInteger();
    private final Object loadLock = new Object();
    private final Object waitersLock = new Object();
    private List<Runnable> waiters = new ArrayList<>();
    private volatile LogTip tip;
    /** Set once an end was queued: later appends fail at once rather than after a trip to the drain. */
    private volatile boolean endQueued;

    private record PendingAppend(EventPayload payload, Instant ts, Sinks.One<JobEvent> result) {
    }

    FileJobEventLog(long jobId, LogFiles store, Scheduler io, Scheduler delivery, Clock clock,
            EventLogSettings settings) {
        this.jobId = jobId;
        this.store = store;
        this.io = io;
        this.delivery = delivery;
        this.clock = clock;
        this.followBatch = settings.followBatch();
        this.ring = new AtomicReferenceArray<>(settings.ringCapacity());
    }

    @Override
    public long jobId() {
        return jobId;
    }

    /**
     * Queues the event at once (whether or not the result is subscribed); the result completes once the
     * event is written and visible to followers. Callers need not wait for one append before the next:
     * order is the order of the calls.
     */
    @Override
    public Mono<JobEvent> append(EventPayload payload) {
        // A null would fail the whole write batch it lands in, not just this append.
        Objects.requireNonNull(payload, "payload");
        if (endQueued) {
            return Mono.error(endedError());
        }
        if (payload instanceof JobEnded) {
            endQueued = true;
        }
        Sinks.One<JobEvent> result = Sinks.one();
        pending.offer(new PendingAppend(payload, clock.instant(), result));
        if (drainWork.getAndIncrement() == 0) {
            io.schedule(this::drain);
        }
        return result.asMono();
    }

    @Override
    public long lastSeq() {
        return loadedTip().seq();
    }

    @Override
    public long lineCount() {
        return loadedTip().lineCount();
    }

    /** The tip once the files were read (on the I/O scheduler), so that {@link #lastSeq()} is then free. */
    Mono<LogTip> load() {
        LogTip current = tip;
        return current != null ? Mono.just(current) : Mono.fromCallable(this::loadedTip).subscribeOn(io);
    }

    boolean ended() {
        LogTip current = tip;
        return current != null && current.ended();
    }

    boolean idle() {
        return drainWork.get() == 0;
    }

    @Override
    public Flux<List<JobEvent>> followBatches(long afterSeq) {
        return load().flatMapMany(loaded -> Flux.from(subscriber ->
                subscriber.onSubscribe(new LogFollower(this, subscriber, Math.max(0, afterSeq)))));
    }

    @Override
    public Mono<Long> seqBeforeLine(long line) {
        return load().flatMap(current -> {
            if (line <= 0) {
                return Mono.just(0L);
            }
            if (line > current.lineCount()) {
                return Mono.just(current.seq());
            }
            return onIo(() -> store.lineSeqs(line, line)[0] - 1);
        });
    }

    @Override
    public Flux<JobEvent> lines(long from, long to) {
        return load().flatMapMany(current -> {
            long first = Math.max(1, from);
            long end = Math.min(to, current.lineCount() + 1);
            if (first >= end) {
                return Flux.empty();
            }
            return Flux.<long[], Long>generate(() -> first, (start, sink) -> {
                        sink.next(new long[] {start, Math.min(end - 1, start + followBatch - 1)});
                        long next = start + followBatch;
                        if (next >= end) {
                            sink.complete();
                        }
                        return next;
                    })
                    .concatMap(range -> onIo(() -> readLines(range[0], range[1], current)), 1)
                    .concatMapIterable(batch -> batch, 1);
        });
    }

    private List<JobEvent> readLines(long from, long to, LogTip current) throws IOException {
        long[] seqs = store.lineSeqs(from, to);
        List<JobEvent> events = store.read(seqs[0], seqs[seqs.length - 1], current);
        List<JobEvent> lines = new ArrayList<>(seqs.length);
        for (JobEvent event : events) {
            if (event.payload() instanceof OutputLine) {
                lines.add(event);
            }
        }
        return lines;
    }

    /** Events {@code from..to} from the ring, up to the first that has been overwritten; null if none. */
    List<JobEvent> fromRing(long from, long to) {
        List<JobEvent> events = null;
        for (long seq = from; seq <= to; seq++) {
            JobEvent event = ring.get(slot(seq));
            if (event == null || event.seq() != seq) {
                break;
            }
            if (events == null) {
                events = new ArrayList<>((int) (to - from + 1));
            }
            events.add(event);
        }
        return events;
    }

    /** The written end of the log; only called once the log is loaded. */
    LogTip publishedTip() {
        return tip;
    }

    int followBatch() {
        return followBatch;
    }

    /** Runs {@code wake} (once, on the delivery scheduler) after the next events are published. */
    void addWaiter(Runnable wake) {
        synchronized (waitersLock) {
            waiters.add(wake);
        }
    }

    int waiterCount() {
        synchronized (waitersLock) {
            return waiters.size();
        }
    }

    void removeWaiter(Runnable wake) {
        synchronized (waitersLock) {
            waiters.remove(wake);
        }
    }

    /** Reads events {@code from..to} on the I/O scheduler and hands them over on the delivery scheduler. */
    void readFromFiles(long from, long to, LogTip current, Consumer<List<JobEvent>> onRead,
            Consumer<Throwable> onError) {
        io.schedule(() -> {
            try {
                List<JobEvent> events = store.read(from, to, current);
                delivery.schedule(() -> onRead.accept(events));
            } catch (IOException | RuntimeException e) {
                delivery.schedule(() -> onError.accept(e));
            }
        });
    }

    /**
     * Hands the waiting followers to the delivery scheduler in groups, so that waking 1,000 followers is
     * a few tasks rather than 1,000, and the writer goes back to writing at once.
     */
    private void wakeFollowers() {
        List<Runnable> woken;
        synchronized (waitersLock) {
            if (waiters.isEmpty()) {
                return;
            }
            woken = waiters;
            waiters = new ArrayList<>();
        }
        for (int from = 0; from < woken.size(); from += WAKE_GROUP) {
            List<Runnable> group = woken.subList(from, Math.min(woken.size(), from + WAKE_GROUP));
            delivery.schedule(() -> group.forEach(Runnable::run));
        }
    }

    private void drain() {
        int missed = 1;
        while (true) {
            List<PendingAppend> batch = new ArrayList<>();
            PendingAppend next;
            while (batch.size() < MAX_WRITE_BATCH && (next = pending.poll()) != null) {
                batch.add(next);
            }
            if (!batch.isEmpty()) {
                writeAndPublish(batch);
            }
            if (pending.isEmpty()) {
                missed = drainWork.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }

    private void writeAndPublish(List<PendingAppend> batch) {
        List<JobEvent> events = new ArrayList<>(batch.size());
        List<Sinks.One<JobEvent>> results = new ArrayList<>(batch.size());
        try {
            LogTip current = loadedTip();
            long seq = current.seq();
            long lines = current.lineCount();
            Instant lastTs = current.lastTs();
            boolean ended = current.ended();
            for (PendingAppend append : batch) {
                if (ended) {
                    append.result().tryEmitError(endedError());
                    continue;
                }
                EventPayload payload = append.payload();
                if (payload instanceof OutputLine line) {
                    payload = line.withLine(++lines);
                }
                // Seqs follow the queue; keep times from going backwards between threads' clock reads.
                Instant ts = append.ts().isBefore(lastTs) ? lastTs : append.ts();
                lastTs = ts;
                ended = payload instanceof JobEnded;
                events.add(new JobEvent(jobId, ++seq, ts, payload));
                results.add(append.result());
            }
            if (events.isEmpty()) {
                return;
            }
            LogTip written = store.write(events, current);
            for (JobEvent event : events) {
                ring.set(slot(event.seq()), event);
            }
            tip = written;
        } catch (IOException | RuntimeException e) {
            LOG.error("job {} event log: could not write {} events", jobId, events.size(), e);
            results.forEach(result -> result.tryEmitError(e));
            return;
        }
        for (int i = 0; i < events.size(); i++) {
            results.get(i).tryEmitValue(events.get(i));
        }
        wakeFollowers();
    }

    private LogTip loadedTip() {
        LogTip current = tip;
        if (current != null) {
            return current;
        }
        synchronized (loadLock) {
            if (tip == null) {
                try {
                    tip = store.recover();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the event log of job " + jobId, e);
                }
                if (tip.ended()) {
                    endQueued = true;
                }
            }
            return tip;
        }
    }

    void delete() throws IOException {
        store.delete();
    }

    private int slot(long seq) {
        return (int) (seq % ring.length());
    }

    private IllegalStateException endedError() {
        return new IllegalStateException("the event log of job " + jobId + " has ended");
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private <T> Mono<T> onIo(IoCall<T> call) {
        return Mono.fromCallable(call::call).subscribeOn(io);
    }
}
