package org.wikimedia.spiderpig.runner;

import java.util.function.BiConsumer;
import org.wikimedia.spiderpig.model.OutputLine;
import reactor.core.publisher.FluxSink;

/** A job's events into its subscriber's sink, each waiting for the subscriber's demand. */
final class DemandedEvents implements EventSink {

    private final FluxSink<RunnerEvent> sink;
    private final Demand demand;
    private final BiConsumer<OutputLine.Stream, Throwable> onFailure;

    DemandedEvents(FluxSink<RunnerEvent> sink, Demand demand, BiConsumer<OutputLine.Stream, Throwable> onFailure) {
        this.sink = sink;
        this.demand = demand;
        this.onFailure = onFailure;
    }

    @Override
    public boolean emit(RunnerEvent event) throws InterruptedException {
        if (!demand.take()) {
            return false;
        }
        sink.next(event);
        return true;
    }

    @Override
    public boolean emitWithoutWaiting(RunnerEvent event) {
        if (!demand.takeWithoutWaiting()) {
            return false;
        }
        sink.next(event);
        return true;
    }

    @Override
    public void fail(OutputLine.Stream stream, Throwable error) {
        onFailure.accept(stream, error);
    }
}
