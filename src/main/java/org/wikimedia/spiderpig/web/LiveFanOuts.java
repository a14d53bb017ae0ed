package org.wikimedia.spiderpig.web;

import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Map;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.metrics.StreamMetrics;

/**
 * The {@link LogFanOut} of each job that has live streams: made when the first stream catches up, dropped
 * when its log ends or its last stream has gone. One lock for joining and for handing out runs: both
 * happen a few times per wake of a log, never per line per stream.
 */
final class LiveFanOuts {

    private final SseMessages messages;
    private final FanOutPace pace;
    private final StreamMetrics metrics;
    private final Map<Long, LogFanOut> byJob = new HashMap<>();

    LiveFanOuts(SseMessages messages, FanOutPace pace, StreamMetrics metrics) {
        this.messages = messages;
        this.pace = pace;
        this.metrics = metrics;
    }

    StreamMetrics metrics() {
        return metrics;
    }

    /**
     * Makes {@code stream}, which has sent every event up to {@code sent} (the log's last when it looked),
     * a live stream of the job's fan-out; call on the stream's event loop.
     */
    LogFanOut join(JobEventLog log, DirectEventStream stream, EventLoop loop, long sent) {
        LogFanOut fanOut;
        LoopStreams streams;
        boolean start;
        synchronized (this) {
            fanOut = byJob.computeIfAbsent(log.jobId(), id -> new LogFanOut(this, log, messages, pace));
            streams = fanOut.member(loop);
            start = fanOut.startFollowing(sent);
        }
        streams.add(stream);
        metrics.joinedFanOut();
        if (start) {
            // Outside the lock: the log may hand over the first run at once, in this thread.
            fanOut.follow(sent);
        }
        return fanOut;
    }

    /**
     * Makes {@code stream} a live stream of the job's fan-out if there is one and it has sent every event the
     * fan-out handed so far ({@code sent}: its last); else null. A stream following the log by itself seldom
     * finds itself at the log's very end (on a busy log the end moves on between its read and its look), but
     * it is often level with the fan-out, whose runs are paced: from then on it takes them as the others do.
     * Call on the stream's event loop.
     */
    LogFanOut joinIfLevel(JobEventLog log, DirectEventStream stream, EventLoop loop, long sent) {
        LogFanOut fanOut;
        LoopStreams streams;
        synchronized (this) {
            fanOut = byJob.get(log.jobId());
            // Under the lock that hands runs out: a run is handed either before this look (and this stream
            // has sent it) or after the stream is a member of its loop (and reaches it).
            if (fanOut == null || !fanOut.takesNextRunAfter(sent)) {
                return null;
            }
            streams = fanOut.member(loop);
        }
        streams.add(stream);
        metrics.joinedFanOut();
        return fanOut;
    }

    /** The fan-out has stopped following its log: a stream that catches up later starts a new one. */
    synchronized void stopped(LogFanOut fanOut) {
        byJob.remove(fanOut.jobId(), fanOut);
    }

    synchronized int fanOuts() {
        return byJob.size();
    }
}
