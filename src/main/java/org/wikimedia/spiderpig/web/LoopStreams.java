package org.wikimedia.spiderpig.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live streams of one log on one event loop, and the one task on that loop that writes each run of
 * the log to all of them: each stream gets retained duplicates of the same buffers and is flushed, as the
 * bare reference server does. A stream that cannot take the run (it fell behind, or its connection is
 * full) leaves and follows the log by itself.
 */
final class LoopStreams implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LoopStreams.class);

    private final EventLoop loop;
    private final LogFanOut fanOut;
    private final Queue<SharedRun> runs = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    // Touched on the loop only.
    private final List<DirectEventStream> streams = new ArrayList<>();

    LoopStreams(EventLoop loop, LogFanOut fanOut) {
        this.loop = loop;
        this.fanOut = fanOut;
    }

    /** On the loop. */
    void add(DirectEventStream stream) {
        streams.add(stream);
    }

    void offer(SharedRun run) {
        runs.add(run);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    void fail(Throwable error) {
        loop.execute(() -> {
            streams.forEach(stream -> stream.fail(error));
            streams.clear();
        });
    }

    @Override
    public void run() {
        scheduled.set(false);
        SharedRun run;
        while ((run = runs.poll()) != null) {
            try {
                write(run);
            } finally {
                fanOut.loopDone(loop);
            }
        }
    }

    private void write(SharedRun run) {
        if (streams.isEmpty()) {
            return;
        }
        List<ByteBuf> shared = wrapped(run.writes());
        try {
            int kept = 0;
            for (int i = 0; i < streams.size(); i++) {
                DirectEventStream stream = streams.get(i);
                if (stays(stream, run, shared)) {
                    streams.set(kept++, stream);
                }
            }
            streams.subList(kept, streams.size()).clear();
        } finally {
            shared.forEach(ByteBuf::release);
        }
    }

    /** One stream's failure ends that stream, not the others of the loop. */
    private static boolean stays(DirectEventStream stream, SharedRun run, List<ByteBuf> shared) {
        try {
            return stream.deliver(run, shared);
        } catch (RuntimeException e) {
            LOG.error("an event stream failed while writing", e);
            stream.fail(e);
            return false;
        }
    }

    /** The direct buffers as Netty buffers, without a copy; freed by the garbage collector, not by release. */
    private static List<ByteBuf> wrapped(List<ByteBuffer> writes) {
        List<ByteBuf> wrapped = new ArrayList<>(writes.size());
        for (ByteBuffer write : writes) {
            wrapped.add(Unpooled.wrappedBuffer(write.duplicate()));
        }
        return wrapped;
    }
}
