package org.wikimedia.spiderpig.web;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscription;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.model.JobEvent;
import reactor.core.publisher.BaseSubscriber;

/**
 * The live edge of one job's log for all its streams that are there: one follower of the log, each run of
 * events it hands over rendered and joined once ({@link SseMessages#writes}) and given to one task per
 * event loop ({@link LoopStreams}) that writes it to every live stream of that loop. The next run is
 * asked for once every loop has written this one, so while the loops are busy the log gathers the next
 * lines into one larger run instead of queueing runs; and, paced by {@link FanOutPace}, no sooner than the
 * interval the number of streams calls for after the last run was handed, so that with many streams on a
 * fast log each socket gets a few larger writes rather than one per line (fewer system calls on both ends).
 *
 * <p>Membership and the loops are guarded by the {@link LiveFanOuts}' lock.
 */
final class LogFanOut {

    private final LiveFanOuts owner;
    private final JobEventLog log;
    private final SseMessages messages;
    private final FanOutPace pace;
    private final Map<EventLoop, LoopStreams> loops = new HashMap<>();
    private final AtomicInteger loopsWriting = new AtomicInteger();
    private int members;
    private boolean following;
    /** The last seq of the run last handed (or where the follower started): a stream that sent it may join. */
    private long handedThrough;
    private volatile Follower follower;
    /** When the next run may be handed (System.nanoTime()); set when a run is handed, read once it is written. */
    private volatile long nextRunAt;

    LogFanOut(LiveFanOuts owner, JobEventLog log, SseMessages messages, FanOutPace pace) {
        this.owner = owner;
        this.log = log;
        this.messages = messages;
        this.pace = pace;
    }

    long jobId() {
        return log.jobId();
    }

    /** Under the owner's lock: one more live stream, on {@code loop}. */
    LoopStreams member(EventLoop loop) {
        members++;
        return loops.computeIfAbsent(loop, l -> new LoopStreams(l, this));
    }

    /** Under the owner's lock: true once, for the stream that has to start the follower (after {@code sent}). */
    boolean startFollowing(long sent) {
        if (following) {
            return false;
        }
        following = true;
        handedThrough = sent;
        return true;
    }

    /**
     * Under the owner's lock: whether a stream that has sent every event up to {@code sent} can take the next
     * run, the one after {@link #handedThrough}; a run handed later reaches it once it is a member.
     */
    boolean takesNextRunAfter(long sent) {
        return following && sent >= handedThrough;
    }

    void follow(long afterSeq) {
        Follower started = new Follower();
        follower = started;
        log.followBatches(afterSeq).subscribe(started);
    }

    /** A live stream has left (ended, gone, or fallen behind). */
    void left() {
        synchronized (owner) {
            members--;
        }
    }

    /** {@code loop} has written the current run to its streams; the last to do so asks for the next run. */
    void loopDone(EventLoop loop) {
        if (loopsWriting.decrementAndGet() != 0) {
            return;
        }
        Follower current = follower;
        long wait = nextRunAt - System.nanoTime();
        if (wait <= 0) {
            current.request(1);
            return;
        }
        try {
            loop.schedule(() -> current.request(1), wait, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            current.request(1);
        }
    }

    private void hand(SharedRun run) {
        List<LoopStreams> writers;
        synchronized (owner) {
            if (members == 0 || run.ends()) {
                owner.stopped(this);
            }
            if (members == 0) {
                follower.dispose();
                return;
            }
            writers = new ArrayList<>(loops.values());
            handedThrough = run.lastSeq();
            nextRunAt = System.nanoTime() + pace.intervalNanos(members);
        }
        owner.metrics().handedRun(run.events().size());
        loopsWriting.set(writers.size());
        for (LoopStreams loop : writers) {
            loop.offer(run);
        }
    }

    private void failed(Throwable error) {
        List<LoopStreams> writers;
        synchronized (owner) {
            owner.stopped(this);
            writers = new ArrayList<>(loops.values());
        }
        writers.forEach(loop -> loop.fail(error));
    }

    private final class Follower extends BaseSubscriber<List<JobEvent>> {

        /** A batch the log cut short while more was published, waiting to go out with the rest; onNext only. */
        private List<JobEvent> held;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(List<JobEvent> batch) {
            if (held == null && batch.get(batch.size() - 1).seq() < log.lastSeq()) {
                // The log's batches end at multiples of their size, so about one run in ten of a steady
                // stream is cut there with this interval's later lines already published: they would wait
                // for the next interval (the p99 of 1,000 viewers). They go out in this run; held at most
                // once, so a run is at most two of the log's batches.
                held = batch;
                request(1);
                return;
            }
            List<JobEvent> run = batch;
            if (held != null) {
                run = new ArrayList<>(held.size() + batch.size());
                run.addAll(held);
                run.addAll(batch);
                held = null;
            }
            hand(new SharedRun(run, messages.writes(run)));
        }

        @Override
        protected void hookOnError(Throwable error) {
            failed(error);
        }
    }
}
