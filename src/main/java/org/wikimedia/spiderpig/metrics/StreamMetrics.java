package org.wikimedia.spiderpig.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;

/** Open Server-Sent Event streams, by stream (one job's events, or every job's changes). */
public class StreamMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
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
