package org.wikimedia.spiderpig.job;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The hub of job-level changes behind {@code /api/events}. It keeps no history; a subscriber that cannot
 * keep up with a bounded buffer is dropped (its client reconnects and re-reads the job list), so one slow
 * overview page never holds memory for the others.
 */
public class JobChanges {

    private static final int PER_SUBSCRIBER_BUFFER = 4096;

    private final Sinks.Many<JobChange> sink = Sinks.many().multicast().directBestEffort();

    public void publish(JobChange change) {
        // Several threads publish (job pipelines, HTTP requests); a sink needs them serialized. With no
        // subscriber the change is simply not delivered: nobody is watching.
        synchronized (sink) {
            sink.tryEmitNext(change);
        }
    }

    public Flux<JobChange> follow() {
        return sink.asFlux().onBackpressureBuffer(PER_SUBSCRIBER_BUFFER);
    }
}
