package org.wikimedia.spiderpig.eventlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.model.EventPayload;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One job's log: its events kept in a {@link LogStorage} (files, see {@link LogFiles}, or rows of a database),
 * the most recent ones also in memory, and its followers.
 *
 * <p>Appends are queued and written by one drain at a time on the I/O scheduler, in batches, so that a
 * burst of output costs one write per batch; the seq is given in queue order. Only after a batch is
 * written is it published: put into the ring of recent events, made visible through the {@link LogTip},
 * and the waiting followers are woken. A follower ({@link LogFollower}) is only a cursor: it takes the
 * events after its cursor from the ring, or, when they have left the ring, from the storage; it never holds
 * more than one batch, so a slow follower costs memory for one batch and the job's progress never waits
 * for it.
 *
 * <p>The ring, the write batches and the followers' batches are bounded in bytes (see {@link
 * EventLogSettings}); once the log has ended its ring shrinks to a small budget, since a cached ended log
 * is mostly read from its storage. A failed write (any {@link Throwable}, an {@link OutOfMemoryError}
 * included) fails that batch's appends and cuts the storage back to what was published, so the log goes on
 * with the next append; only if even that fails is the log broken: then appends fail at once and
 * followers end with the error after what was published.
 *
 * <p>When several servers share the storage, a log on a server that does not write it learns of new events
 * through {@link #advanceTo} (the writer's notice) or {@link #refresh} (a reread of the stored end); its
 * followers then read them from the storage.
 */
final class StoredJobEventLog implements JobEventLog {

    private static final Logger LOG = LoggerFactory.getLogger(StoredJobEventLog.class);
    private static final int MAX_WRITE_BATCH = 1024;
    private static final int WAKE_GROUP = 64;
    private static final int SHARED_READS = 2;
    /** Writes of one batch that may find their seqs taken by another server's appends before the batch fails. */
    private static final int OVERTAKEN_ATTEMPTS = 8;

    private final long jobId;
    private final LogStorage store;
    private final Scheduler io;
    private final Scheduler reads;
    private final Scheduler delivery;
    private final Clock clock;
    private final int followBatch;
    private final long followBatchBytes;
    private final long writeBatchBytes;
    private final long ringBytes;
    private final long endedRingBytes;
    private final AtomicReferenceArray<JobEvent> ring;
    // The ring's accounting, touched under ringLock by the (one at a time) writer, or on a server that reads
    // another's log by the (one at a time) catch-up: the oldest seq it may still hold (0 before the first)
    // and the bytes of the events from there on.
    private final Object ringLock = new Object();
    private long ringOldest;
    private long ringNewest;
    private long ringUsed;
    private final Queue<PendingAppend> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainWork = new AtomicInteger();
    private final Object loadLock = new Object();
    private final long wakeIntervalNanos;
    private final long writeIntervalNanos;
    /** When the drain may start the next write (the io scheduler's clock), touched by the one drain at a time. */
    private long nextWriteNanos;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private volatile long lastWakeNanos;
    private final SharedRead[] sharedReads = new SharedRead[SHARED_READS];
    private final Object waitersLock = new Object();
    private List<Runnable> waiters = new ArrayList<>();
    /**
     * How many followers the last wake woke, and when the last of them was waiting again (under
     * {@link #waitersLock}; before that, {@code allIdleSince < lastWakeNanos}).
     */
    private int lastWoken;
    private long allIdleSince;
    private volatile LogTip tip;
    private static final AtomicReferenceFieldUpdater<StoredJobEventLog, LogTip> TIP =
            AtomicReferenceFieldUpdater.newUpdater(StoredJobEventLog.class, LogTip.class, "tip");
    /** Set by the first append: this server writes the log, and another's notice of it is its own write. */
    private volatile boolean writer;
    /** The last seq of the batch being written (or last written): a notice up to it is of this server's write. */
    private volatile long writingThrough;
    /** The furthest end another server's notice told of, which the catch-up reads up to. */
    private final AtomicReference<LogTip> noticed = new AtomicReference<>();
    private final AtomicInteger catchUpWork = new AtomicInteger();
    /** Set once an end was queued: later appends fail at once rather than after a trip to the drain. */
    private volatile boolean endQueued;
    /** Set when a failed write could not be undone: the log takes no more appends. */
    private volatile Throwable broken;

    private record PendingAppend(EventPayload payload, SpoolMark mark, Instant ts, Sinks.One<JobEvent> result) {
    }

    StoredJobEventLog(long jobId, LogStorage store, Scheduler io, Scheduler delivery, Clock clock,
            EventLogSettings settings) {
        this(jobId, store, io, io, delivery, clock, settings);
    }

    /**
     * @param reads where followers behind the ring read the storage: a scheduler of fewer threads than {@code io}
     *     when the storage is a database whose connections the writer needs too, so that however many followers
     *     fall behind, their reads never take every connection and thread the job's writes wait for
     */
    StoredJobEventLog(long jobId, LogStorage store, Scheduler io, Scheduler reads, Scheduler delivery, Clock clock,
            EventLogSettings settings) {
        this.jobId = jobId;
        this.store = store;
        this.io = io;
        this.reads = reads;
        this.delivery = delivery;
        this.clock = clock;
        this.followBatch = settings.followBatch();
        this.followBatchBytes = settings.followBatchBytes();
        this.writeBatchBytes = settings.writeBatchBytes();
        this.ringBytes = settings.ringBytes();
        this.endedRingBytes = settings.endedRingBytes();
        this.ring = new AtomicReferenceArray<>(settings.ringCapacity());
        this.wakeIntervalNanos = settings.wakeInterval().toNanos();
        this.writeIntervalNanos = settings.writeInterval().toNanos();
        this.nextWriteNanos = io.now(TimeUnit.NANOSECONDS);
        this.lastWakeNanos = System.nanoTime() - wakeIntervalNanos;
        this.allIdleSince = lastWakeNanos - 1;
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
        return append(payload, null);
    }

    @Override
    public Mono<JobEvent> append(EventPayload payload, SpoolMark mark) {
        // A null would fail the whole write batch it lands in, not just this append.
        Objects.requireNonNull(payload, "payload");
        Throwable failure = broken;
        if (failure != null) {
            return Mono.error(brokenError(failure));
        }
        if (endQueued) {
            return Mono.error(endedError());
        }
        if (payload instanceof JobEnded) {
            endQueued = true;
        }
        writer = true;
        Sinks.One<JobEvent> result = Sinks.one();
        pending.offer(new PendingAppend(payload, mark, clock.instant(), result));
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

    /** The tip once the storage was read (on the I/O scheduler), so that {@link #lastSeq()} is then free. */
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

    /**
     * Publishes events that another server stored (its notice says up to where). The log reads them at once,
     * one read for all its followers, into its ring, then wakes the followers, who take them from there. A
     * notice that is not ahead of what this log knows (as the writer's own notices are) changes nothing.
     */
    void advanceTo(LogTip stored) {
        LogTip current = tip;
        if (current == null) {
            // A load under way may have read the storage just before these events were stored.
            refresh();
            return;
        }
        if (stored.seq() <= current.seq()) {
            return;
        }
        if (writer) {
            if (stored.seq() <= writingThrough) {
                // Its own batch, whose notice came before the write's answer (it often does: the answer still has
                // to wake the drain's thread). The drain publishes it, ring first, once the write returns; moving
                // the tip now would send every woken follower to the database for events about to be in the ring.
                return;
            }
            // Another server's events (an answer it took) on a log this one writes.
            advance(stored);
            return;
        }
        catchUpTo(stored);
    }

    /** Reads the stored end again (on the I/O scheduler) and publishes what is new: after notices may have been lost. */
    void refresh() {
        io.schedule(() -> {
            try {
                loadedTip();
                LogTip stored = store.recover();
                if (writer) {
                    advance(stored);
                } else {
                    catchUpTo(stored);
                }
            } catch (Throwable e) {
                LOG.warn("job {} event log: could not reread its end", jobId, e);
            }
        });
    }

    /** Has the catch-up (one at a time, on the I/O scheduler) read what was stored up to {@code stored}. */
    private void catchUpTo(LogTip stored) {
        noticed.accumulateAndGet(stored, (known, told) -> known == null || told.seq() > known.seq() ? told : known);
        if (catchUpWork.getAndIncrement() == 0) {
            io.schedule(this::catchUp);
        }
    }

    private void catchUp() {
        int missed = 1;
        while (true) {
            try {
                readNoticed();
            } catch (Throwable e) {
                // The followers read the rows themselves then, as they do for events that left the ring.
                LOG.warn("job {} event log: could not read what another server stored", jobId, e);
                advance(noticed.get());
            }
            missed = catchUpWork.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Reads the events after the published tip up to the noticed end, in reads of a follow batch's bytes. */
    private void readNoticed() throws IOException {
        LogTip current = loadedTip();
        LogTip target = noticed.get();
        while (current.seq() < target.seq()) {
            List<JobEvent> events = store.read(current.seq() + 1, target.seq(), target, followBatchBytes);
            if (events.isEmpty()) {
                throw new IllegalStateException("no events stored after seq " + current.seq()
                        + " though a notice told of them up to " + target.seq());
            }
            LogTip next = tipAfter(current, events);
            synchronized (ringLock) {
                for (JobEvent event : events) {
                    if (event.seq() > ringNewest) {
                        putInRing(event);
                    }
                }
                if (next.ended()) {
                    // As the writer's ring does: an ended log stays cached, mostly read from its storage.
                    trimRing(endedRingBytes);
                }
            }
            advance(next);
            current = tip;
            target = noticed.get();
        }
    }

    /** The tip once {@code events}, which directly follow {@code before}, are published. */
    private static LogTip tipAfter(LogTip before, List<JobEvent> events) {
        long lines = before.lineCount();
        for (JobEvent event : events) {
            if (event.payload() instanceof OutputLine line) {
                lines = line.line();
            }
        }
        JobEvent last = events.get(events.size() - 1);
        return new LogTip(last.seq(), lines, 0, last.ts(), last.payload() instanceof JobEnded);
    }

    private void advance(LogTip stored) {
        if (!moveTipForward(stored)) {
            return;
        }
        if (stored.ended()) {
            endQueued = true;
        }
        wakeFollowers();
    }

    /**
     * Makes {@code stored} the tip unless the tip is there or further already (a notice of another server's
     * events may have moved it on meanwhile); answers whether it moved.
     */
    private boolean moveTipForward(LogTip stored) {
        while (true) {
            LogTip current = tip;
            if (current != null && stored.seq() <= current.seq()) {
                return false;
            }
            if (TIP.compareAndSet(this, current, stored)) {
                return true;
            }
        }
    }

    /** The error that broke the log, or null while it works. */
    Throwable broken() {
        Throwable failure = broken;
        return failure == null ? null : brokenError(failure);
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
            return linesFrom(first, end, current);
        });
    }

    /** Lines [first, end) in reads of at most a follow batch (in lines and bytes), one after the other. */
    private Flux<JobEvent> linesFrom(long first, long end, LogTip current) {
        if (first >= end) {
            return Flux.empty();
        }
        return onIo(() -> readLines(first, Math.min(end - 1, first + followBatch - 1), current))
                .flatMapMany(batch -> {
                    long next = ((OutputLine) batch.get(batch.size() - 1).payload()).line() + 1;
                    return Flux.fromIterable(batch).concatWith(Flux.defer(() -> linesFrom(next, end, current)));
                });
    }

    /** At least line {@code from}, up to line {@code to} as far as the byte budget of one read allows. */
    private List<JobEvent> readLines(long from, long to, LogTip current) throws IOException {
        List<JobEvent> events = store.readLines(from, to, current, followBatchBytes);
        List<JobEvent> lines = new ArrayList<>(events.size());
        for (JobEvent event : events) {
            if (event.payload() instanceof OutputLine) {
                lines.add(event);
            }
        }
        return lines;
    }

    /**
     * Events {@code from..to} from the ring, up to the first that has left it, and no more than a follow
     * batch's bytes (but at least one); null if none.
     */
    List<JobEvent> fromRing(long from, long to) {
        List<JobEvent> events = null;
        long bytes = 0;
        for (long seq = from; seq <= to && bytes < followBatchBytes; seq++) {
            JobEvent event = ring.get(slot(seq));
            if (event == null || event.seq() != seq) {
                break;
            }
            if (events == null) {
                events = new ArrayList<>((int) Math.min(to - from + 1, 64));
            }
            events.add(event);
            bytes += EventSize.of(event);
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
            if (waiters.size() >= lastWoken && allIdleSince - lastWakeNanos < 0) {
                allIdleSince = System.nanoTime();
            }
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

    /**
     * Reads events {@code from..to} (at least the first, no more than a follow batch's bytes) on the I/O
     * scheduler and hands them over on the delivery scheduler; any failure, an {@link Error} too, reaches
     * {@code onError}, so a follower never waits for a read that died. Followers behind the ring ask for
     * the same aligned runs, so a read from the same seq is shared: those that ask while it is under way or
     * soon after get its events, whatever end each asked for (at most {@value #SHARED_READS} reads kept, each within a follow batch's bytes).
     */
    void readFromFiles(long from, long to, LogTip current, Consumer<List<JobEvent>> onRead,
            Consumer<Throwable> onError) {
        SharedRead read;
        boolean start = false;
        int slot = (int) Math.floorMod(from / followBatch, (long) SHARED_READS);
        synchronized (sharedReads) {
            read = sharedReads[slot];
            if (read == null || !read.startsAt(from)) {
                read = new SharedRead(from);
                sharedReads[slot] = read;
                start = true;
            }
        }
        read.deliverTo(onRead, onError);
        if (!start) {
            return;
        }
        SharedRead started = read;
        reads.schedule(() -> {
            try {
                started.done(store.read(from, to, current, followBatchBytes), null);
            } catch (Throwable e) {
                synchronized (sharedReads) {
                    // A failed read is not kept: the next follower tries again.
                    if (sharedReads[slot] == started) {
                        sharedReads[slot] = null;
                    }
                }
                started.done(null, e);
            }
        });
    }

    /** One read of the storage, and the followers waiting for it; its result is handed on the delivery scheduler. */
    private final class SharedRead {
        private final long from;
        private List<Consumer<List<JobEvent>>> onReads = new ArrayList<>(1);
        private List<Consumer<Throwable>> onErrors = new ArrayList<>(1);
        private List<JobEvent> events;
        private Throwable error;

        SharedRead(long from) {
            this.from = from;
        }

        /**
         * Whatever its end: a follower takes any read from where it is (one may stop early anyway) and asks for
         * the rest next; followers at the live edge ask for the same start with ends that differ as the tip moves.
         */
        boolean startsAt(long from) {
            return this.from == from;
        }

        void deliverTo(Consumer<List<JobEvent>> onRead, Consumer<Throwable> onError) {
            synchronized (this) {
                if (events == null && error == null) {
                    onReads.add(onRead);
                    onErrors.add(onError);
                    return;
                }
            }
            hand(events, error, List.of(onRead), List.of(onError));
        }

        void done(List<JobEvent> read, Throwable failure) {
            List<Consumer<List<JobEvent>>> readers;
            List<Consumer<Throwable>> failed;
            synchronized (this) {
                events = read;
                error = failure;
                readers = onReads;
                failed = onErrors;
                onReads = null;
                onErrors = null;
            }
            hand(read, failure, readers, failed);
        }

        private void hand(List<JobEvent> read, Throwable failure, List<Consumer<List<JobEvent>>> readers,
                          List<Consumer<Throwable>> failed) {
            if (failure != null) {
                failed.forEach(onError -> delivery.schedule(() -> onError.accept(failure)));
            } else {
                readers.forEach(onRead -> delivery.schedule(() -> onRead.accept(read)));
            }
        }
    }

    /**
     * Hands the waiting followers to the delivery scheduler in groups, so that waking 1,000 followers is
     * a few tasks rather than 1,000, and the writer goes back to writing at once. A wake within the wake
     * interval of the last one waits for the interval's end, unless the followers are idle: every one the
     * last wake woke is waiting again, and has been for at least as long as they took to get there. So a
     * quiet stream's line leaves at once, even the next of 1,000 a second, while followers busy most of
     * the time (many viewers, or a flood) take the next lines together, in a few larger writes rather than
     * a network write per line per client.
     */
    private void wakeFollowers() {
        long wait = lastWakeNanos + wakeIntervalNanos - System.nanoTime();
        if (wait > 0 && !followersIdle()) {
            if (wakeScheduled.compareAndSet(false, true)) {
                try {
                    delivery.schedule(this::wakeDue, wait, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException noTimer) {
                    wakeDue();
                }
            }
            return;
        }
        wakeNow();
    }

    private void wakeDue() {
        wakeScheduled.set(false);
        wakeNow();
    }

    /** Whether every follower the last wake woke waits again, and has spent at least half the time since idle. */
    boolean followersIdle() {
        synchronized (waitersLock) {
            long wokenAt = lastWakeNanos;
            return !waiters.isEmpty() && waiters.size() >= lastWoken && allIdleSince - wokenAt >= 0
                    && System.nanoTime() - allIdleSince >= allIdleSince - wokenAt;
        }
    }

    private void wakeNow() {
        lastWakeNanos = System.nanoTime();
        List<Runnable> woken;
        synchronized (waitersLock) {
            if (waiters.isEmpty()) {
                return;
            }
            woken = waiters;
            waiters = new ArrayList<>();
            lastWoken = woken.size();
        }
        for (int from = 0; from < woken.size(); from += WAKE_GROUP) {
            List<Runnable> group = woken.subList(from, Math.min(woken.size(), from + WAKE_GROUP));
            delivery.schedule(() -> group.forEach(StoredJobEventLog::wakeOne));
        }
    }

    /** One follower's failure must not keep the others of its group asleep. */
    private static void wakeOne(Runnable wake) {
        try {
            wake.run();
        } catch (Throwable e) {
            LOG.error("a follower failed while it was woken", e);
        }
    }

    private void drain() {
        int missed = 1;
        while (true) {
            if (!pending.isEmpty() && drainLater()) {
                // The drain goes on later, its work count kept: appends meanwhile join the batch, start no drain.
                return;
            }
            // Sized up front: once an append is polled, nothing here may fail before it is answered.
            List<PendingAppend> batch = null;
            try {
                batch = new ArrayList<>(MAX_WRITE_BATCH);
                long bytes = 0;
                PendingAppend next;
                while (batch.size() < MAX_WRITE_BATCH && bytes < writeBatchBytes && (next = pending.poll()) != null) {
                    batch.add(next);
                    bytes += EventSize.of(next.payload());
                }
                if (!batch.isEmpty()) {
                    nextWriteNanos = io.now(TimeUnit.NANOSECONDS) + writeIntervalNanos;
                    writeAndPublish(batch);
                }
            } catch (Throwable e) {
                writeFailed(batch == null ? List.of() : batch, e);
            }
            if (pending.isEmpty()) {
                missed = drainWork.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }
    }

    /**
     * Whether the next write is not due yet (the write interval since the last one began has not passed), and
     * the drain was scheduled for when it is.
     */
    private boolean drainLater() {
        long early = nextWriteNanos - io.now(TimeUnit.NANOSECONDS);
        if (early <= 0) {
            return false;
        }
        try {
            io.schedule(this::drain, early, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException noTimer) {
            return false;
        }
    }

    /** Writes a batch and publishes it; a failure (an {@link Error} too) is the drain's to handle. */
    private void writeAndPublish(List<PendingAppend> batch) throws IOException {
        Throwable failure = broken;
        if (failure != null) {
            batch.forEach(append -> append.result().tryEmitError(brokenError(failure)));
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                writeAndPublish(batch, loadedTip());
                return;
            } catch (LogStorage.Overtaken overtaken) {
                if (attempt == OVERTAKEN_ATTEMPTS) {
                    throw overtaken;
                }
                // Another server appended meanwhile (an answer it took): number this batch after its events.
                advance(store.recover());
            }
        }
    }

    /** Numbers the batch's events after {@code current}, writes and publishes them. */
    private void writeAndPublish(List<PendingAppend> batch, LogTip current) throws IOException {
        List<JobEvent> events = new ArrayList<>(batch.size());
        List<Sinks.One<JobEvent>> results = new ArrayList<>(batch.size());
        SpoolMark[] marks = null;
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
            if (append.mark() != null) {
                if (marks == null) {
                    marks = new SpoolMark[batch.size()];
                }
                marks[events.size()] = append.mark();
            }
            events.add(new JobEvent(jobId, ++seq, ts, payload));
            results.add(append.result());
        }
        if (events.isEmpty()) {
            return;
        }
        writingThrough = seq;
        LogTip written = marks == null ? store.write(events, current) : store.write(events, current, marks);
        synchronized (ringLock) {
            for (JobEvent event : events) {
                putInRing(event);
            }
            if (ended) {
                trimRing(endedRingBytes);
            }
        }
        moveTipForward(written);
        for (int i = 0; i < events.size(); i++) {
            results.get(i).tryEmitValue(events.get(i));
        }
        wakeFollowers();
    }

    /**
     * Fails the appends of a batch that could not be written and cuts the storage back to the published
     * tip, so that the next batch is written where this one should have been.
     */
    private void writeFailed(List<PendingAppend> batch, Throwable cause) {
        LOG.error("job {} event log: could not write {} events", jobId, batch.size(), cause);
        IllegalStateException failure = new IllegalStateException(
                "the event log of job " + jobId + " could not be written: " + cause, cause);
        for (PendingAppend append : batch) {
            append.result().tryEmitError(failure);
        }
        LogTip published = tip;
        // Overtaken: nothing of the batch was stored, and what follows the tip is another server's to keep.
        if (published == null || broken != null || cause instanceof LogStorage.Overtaken) {
            return;
        }
        try {
            store.cutTo(published);
        } catch (Throwable e) {
            LOG.error("job {} event log: could not undo a failed write; the log takes no more events", jobId, e);
            failure.addSuppressed(e);
            broken = failure;
            wakeFollowers();
        }
    }

    private void putInRing(JobEvent event) {
        long seq = event.seq();
        if (ringOldest == 0) {
            ringOldest = seq;
        }
        while (ringOldest <= seq - ring.length()) {
            dropOldestFromRing();
        }
        ring.set(slot(seq), event);
        ringNewest = seq;
        ringUsed += EventSize.of(event);
        trimRing(ringBytes);
    }

    /** Drops the oldest events until the ring holds no more than {@code budget} bytes (keeping the newest). */
    private void trimRing(long budget) {
        while (ringUsed > budget && ringOldest < ringNewest) {
            dropOldestFromRing();
        }
    }

    private void dropOldestFromRing() {
        int slot = slot(ringOldest);
        JobEvent oldest = ring.get(slot);
        if (oldest != null && oldest.seq() == ringOldest) {
            ringUsed -= EventSize.of(oldest);
            ring.compareAndSet(slot, oldest, null);
        }
        ringOldest++;
    }

    private LogTip loadedTip() {
        LogTip current = tip;
        if (current != null) {
            return current;
        }
        synchronized (loadLock) {
            if (tip == null) {
                LogTip recovered;
                try {
                    recovered = store.recover();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the event log of job " + jobId, e);
                }
                // A notice from another server may have published a later end meanwhile.
                TIP.compareAndSet(this, null, recovered);
                if (tip.ended()) {
                    endQueued = true;
                }
            }
            return tip;
        }
    }

    @Override
    public Mono<Optional<SpoolMark>> lastMark() {
        return onIo(() -> store.lastMark(loadedTip().seq()));
    }

    void delete() throws IOException {
        store.delete();
    }

    private int slot(long seq) {
        return (int) (seq % ring.length());
    }

    private IllegalStateException brokenError(Throwable failure) {
        return new IllegalStateException("the event log of job " + jobId + " is broken: " + failure.getMessage(), failure);
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
