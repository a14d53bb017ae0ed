package org.wikimedia.spiderpig.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledFuture;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.metrics.StreamMetrics.LeftFanOut;
import org.wikimedia.spiderpig.model.JobEvent;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One client's stream of a job's events, written straight to its connection (after the response headers)
 * rather than through a Reactor chain of its own: while it is behind the live edge it follows the log by
 * itself (one batch in flight, the next asked for once the last was written to the socket, so a slow
 * client costs one batch); once it has caught up it joins the log's {@link LogFanOut}, whose one task per
 * event loop writes each new run of events to all of that loop's live streams. A stream whose connection
 * stops taking data (not writable) leaves the shared path and follows the log by itself again, from the
 * last event it sent, once the socket has taken what it was given.
 *
 * <p>Everything but the catch-up's rendering happens on the connection's event loop, so {@link #sent}
 * (the seq of the last event written, or held by {@link LatestLines}) needs no lock, and a message is
 * written only if it is the one after {@link #sent}: no event is sent twice, none is skipped (but for the
 * lines a {@code ?lines=latest} stream leaves out), and order holds whichever path sends it.
 */
final class DirectEventStream {

    private static final ByteBuf CONNECTED = shared(SseMessages.comment("connected"));
    private static final ByteBuf HEARTBEAT = shared(SseMessages.comment("heartbeat"));

    private final Channel channel;
    private final EventLoop loop;
    private final JobEventLog log;
    private final SseMessages messages;
    private final LiveFanOuts fanOuts;
    private final Duration heartbeat;
    private final Sinks.Empty<Void> done = Sinks.empty();
    /** Null when the stream sends every line. */
    private final LatestLines latest;

    // Touched on the event loop only.
    private long sent;
    private boolean closed;
    private CatchUp catchUp;
    private LogFanOut live;
    private ChannelFuture lastWrite;
    private ScheduledFuture<?> heartbeats;
    private ScheduledFuture<?> heldRelease;

    DirectEventStream(Channel channel, JobEventLog log, long afterSeq, SseMessages messages, LiveFanOuts fanOuts,
                      Duration heartbeat, boolean latestLines) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.log = log;
        this.sent = afterSeq;
        this.messages = messages;
        this.fanOuts = fanOuts;
        this.heartbeat = heartbeat;
        this.latest = latestLines ? new LatestLines(loop.ticker()::nanoTime) : null;
    }

    /** Writes the stream (the headers must have been sent); completes after the end event, ends the stream when cancelled. */
    Mono<Void> run() {
        return Mono.defer(() -> {
            loop.execute(this::start);
            return done.asMono();
        }).doOnCancel(() -> loop.execute(this::close));
    }

    private void start() {
        if (closed) {
            return;
        }
        // First bytes at once: curl -N shows the stream is open, EventSource fires onopen.
        lastWrite = channel.writeAndFlush(new DefaultHttpContent(CONNECTED.duplicate()));
        long every = heartbeat.toNanos();
        heartbeats = loop.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> close());
        followByItself();
    }

    /** Keeps an idle stream open through proxies; a client too slow to take a heartbeat needs none. */
    private void heartbeat() {
        if (!closed && channel.isWritable()) {
            channel.writeAndFlush(new DefaultHttpContent(HEARTBEAT.duplicate()));
        }
    }

    private void followByItself() {
        catchUp = new CatchUp();
        log.followBatches(sent).subscribe(catchUp);
    }

    /** A batch the stream read by itself, on the event loop: written, then the next asked for or the shared path joined. */
    private void sendFromLog(CatchUp source, SharedRun run) {
        if (closed || source != catchUp) {
            return;
        }
        if (run.firstSeq() > sent + 1) {
            fail(new IllegalStateException("job " + log.jobId() + ": the log answered seq " + run.firstSeq()
                    + " after seq " + sent));
            return;
        }
        write(run, null);
        fanOuts.metrics().wroteOwnBatch();
        if (run.ends()) {
            finish();
        } else if (sent >= log.lastSeq()) {
            catchUp = null;
            source.dispose();
            live = fanOuts.join(log, this, loop, sent);
        } else if (channel.isWritable() && (live = fanOuts.joinIfLevel(log, this, loop, sent)) != null) {
            catchUp = null;
            source.dispose();
        } else {
            afterLastWrite(() -> {
                if (!closed && source == catchUp) {
                    source.request(1);
                }
            });
        }
    }

    /**
     * A run from the log's fan-out, on the event loop; false when this stream left the shared path (it
     * ended, or fell behind, or its connection stopped taking data).
     *
     * @param shared the run's writes as buffers that this stream may write retained duplicates of
     */
    boolean deliver(SharedRun run, List<ByteBuf> shared) {
        if (closed) {
            return false;
        }
        if (run.lastSeq() <= sent) {
            return true;
        }
        if (run.firstSeq() > sent + 1) {
            leaveSharedPath(LeftFanOut.GAP);
            return false;
        }
        write(run, shared);
        if (run.ends()) {
            finish();
            return false;
        }
        if (!channel.isWritable()) {
            leaveSharedPath(LeftFanOut.NOT_WRITABLE);
            return false;
        }
        return true;
    }

    void fail(Throwable error) {
        if (closed) {
            return;
        }
        close();
        done.tryEmitError(error);
    }

    /**
     * Writes the run's events after {@link #sent}: all of it as the shared writes, or the tail of it (or what
     * {@link LatestLines} lets through now) joined for this stream alone.
     */
    private void write(SharedRun run, List<ByteBuf> shared) {
        List<JobEvent> due = latest == null ? run.events() : latest.take(run.events(), sent);
        if (due == run.events() && run.firstSeq() == sent + 1) {
            List<ByteBuffer> writes = run.writes();
            for (int i = 0; i < writes.size(); i++) {
                ByteBuf write = shared != null ? shared.get(i).retainedDuplicate()
                        : Unpooled.wrappedBuffer(writes.get(i).duplicate());
                lastWrite = channel.write(new DefaultHttpContent(write));
            }
            channel.flush();
        } else {
            long after = sent;
            writeJoined(due.stream().filter(event -> event.seq() > after).toList());
        }
        sent = run.lastSeq();
        if (latest != null && latest.holds()) {
            if (run.ends()) {
                releaseHeld();
            } else if (heldRelease == null) {
                heldRelease = loop.schedule(this::releaseHeld, latest.nanosUntilRelease(), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The lines and events {@link LatestLines} held, once their window has ended (or the log has). */
    private void releaseHeld() {
        if (heldRelease != null) {
            heldRelease.cancel(false);
            heldRelease = null;
        }
        if (!closed) {
            writeJoined(latest.release());
        }
    }

    private void writeJoined(List<JobEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        for (ByteBuffer write : messages.writesOnce(events)) {
            lastWrite = channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(write)));
        }
        channel.flush();
    }

    private void leaveSharedPath(LeftFanOut reason) {
        fanOuts.metrics().leftFanOut(reason);
        left();
        // Once the socket has taken what it has, so that a stalled client holds no more than that.
        afterLastWrite(() -> {
            if (!closed && live == null && catchUp == null) {
                followByItself();
            }
        });
    }

    private void afterLastWrite(Runnable next) {
        ChannelFuture write = lastWrite;
        if (write == null || write.isDone()) {
            next.run();
        } else {
            // Listeners of a channel's futures run on its event loop.
            write.addListener(written -> next.run());
        }
    }

    private void left() {
        if (live != null) {
            live.left();
            live = null;
        }
    }

    private void finish() {
        if (closed) {
            return;
        }
        close();
        done.tryEmitEmpty();
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (heldRelease != null) {
            heldRelease.cancel(false);
        }
        if (catchUp != null) {
            catchUp.dispose();
            catchUp = null;
        }
        left();
    }

    private static ByteBuf shared(byte[] bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes).asReadOnly());
    }

    /** Follows the log one batch at a time while the stream is behind; each batch is written on the event loop. */
    private final class CatchUp extends BaseSubscriber<List<JobEvent>> {

        @Override
        protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(List<JobEvent> batch) {
            SharedRun run = new SharedRun(batch, messages.writes(batch));
            loop.execute(() -> sendFromLog(this, run));
        }

        @Override
        protected void hookOnError(Throwable error) {
            loop.execute(() -> {
                if (catchUp == this) {
                    fail(error);
                }
            });
        }

        /** After the end event, or at once when the stream starts after it: nothing more to send. */
        @Override
        protected void hookOnComplete() {
            loop.execute(() -> {
                if (catchUp == this) {
                    finish();
                }
            });
        }
    }
}
