package org.wikimedia.spiderpig.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Ends every Server-Sent Event stream when the server stops. A stream never ends by itself, so without
 * this a graceful shutdown waits its whole timeout for them; ended, each client reconnects (EventSource
 * does so by itself, with Last-Event-ID) to the next server. Stops in the same phase as the web
 * server's graceful shutdown, so in-flight requests still finish; a stream opened after the stop ends at once.
 */
class StreamsAtShutdown implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsAtShutdown.class);

    private final Sinks.Empty<Void> stopping = Sinks.empty();
    private volatile boolean running;

    /** The stream, ending (completing) when the server stops. */
    <T> Flux<T> endingAtShutdown(Flux<T> stream) {
        return stream.takeUntilOther(stopping.asMono());
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        LOG.info("Server stopping: ending every event stream (clients reconnect)");
        stopping.tryEmitEmpty();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
    }
}
