package org.wikimedia.spiderpig.store;

import reactor.core.publisher.Mono;

/**
 * Which instance, on which host, runs a job: recorded when it starts and when a restarted server re-attaches. Before
 * it starts, the host whose server accepted it: a job starts on that host while it answers.
 */
public interface JobOwnerStore {

    /** The instance running a job and the host its process lives on. */
    record JobOwner(String instanceId, String host) {
    }

    Mono<Void> record(long jobId, JobOwner owner);

    /** Empty when the job never started (or started before owners were recorded). */
    Mono<JobOwner> of(long jobId);

    /** A queued job was accepted by a server on this host (a no-op once it started). */
    Mono<Void> accepted(long jobId, String host);

    /** The host it runs on once started, before that the host that accepted it; empty if neither is recorded. */
    Mono<String> host(long jobId);
}
