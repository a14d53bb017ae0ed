package org.wikimedia.spiderpig.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.wikimedia.spiderpig.eventlog.FollowerReads;
import reactor.core.publisher.Flux;

/**
 * Open Server-Sent Event streams, by stream (one job's events, or every job's changes); and how a job's event
 * streams get their events: written together by the job's shared fan-out once they have caught up, or each
 * following the log by itself (its own batches, from the log's ring or its storage) until it does.
 */
public class StreamMetrics {

    /** Why a stream left the shared fan-out to follow the log by itself. */
    public enum LeftFanOut {
        /** Its connection stopped taking data (past Netty's high-water mark) after a run. */
        NOT_WRITABLE("not-writable"),
        /** The fan-out's run started after the stream's last event (the stream would miss events). */
        GAP("gap");

        private final String tag;

        LeftFanOut(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Counter joinedFanOut;
    private final Map<LeftFanOut, Counter> leftFanOut = new EnumMap<>(LeftFanOut.class);
    private final Counter ownBatches;
    private final Counter fanOutRuns;
    private final Counter fanOutRunEvents;

    public StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.joinedFanOut = Counter.builder("spiderpig.sse.fanout.joined")
                .description("Job event streams that caught up and joined their job's shared fan-out").register(registry);
        for (LeftFanOut reason : LeftFanOut.values()) {
            leftFanOut.put(reason, Counter.builder("spiderpig.sse.fanout.left").tag("reason", reason.tag)
                    .description("Job event streams that left their job's shared fan-out to follow the log by themselves")
                    .register(registry));
        }
        this.ownBatches = Counter.builder("spiderpig.sse.own.batches")
                .description("Batches job event streams wrote while following the log by themselves (catching up)")
                .register(registry);
        this.fanOutRuns = Counter.builder("spiderpig.sse.fanout.runs")
                .description("Runs of events the jobs' shared fan-outs handed to their live streams").register(registry);
        this.fanOutRunEvents = Counter.builder("spiderpig.sse.fanout.run.events")
                .description("Events in the runs the jobs' shared fan-outs handed to their live streams").register(registry);
        // Held by the class, which the registry keeps only weakly: a null would read as nothing counted.
        FunctionCounter.builder("spiderpig.eventlog.follower.batches", FollowerReads.class, unused -> FollowerReads.fromRing())
                .tag("source", "ring").description("Batches the event logs' followers took from a log's ring")
                .register(registry);
        FunctionCounter.builder("spiderpig.eventlog.follower.batches", FollowerReads.class, unused -> FollowerReads.fromStorage())
                .tag("source", "storage").description("Batches the event logs' followers read from the storage")
                .register(registry);
    }

    public void joinedFanOut() {
        joinedFanOut.increment();
    }

    public void leftFanOut(LeftFanOut reason) {
        leftFanOut.get(reason).increment();
    }

    public void handedRun(int events) {
        fanOutRuns.increment();
        fanOutRunEvents.increment(events);
    }

    public void wroteOwnBatch() {
        ownBatches.increment();
    }

    /** The same stream, counted as one subscriber of {@code stream} from subscription until it ends. */
    public <T> Flux<T> counted(String stream, Flux<T> events) {
        AtomicInteger subscribers = open.computeIfAbsent(stream, name -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("spiderpig.sse.subscribers", count, AtomicInteger::get).tag("stream", name)
                    .description("Open Server-Sent Event streams").register(registry);
            return count;
        });
        return Flux.defer(() -> {
            subscribers.incrementAndGet();
            return events.doFinally(signal -> subscribers.decrementAndGet());
        });
    }
}
