package org.wikimedia.spiderpig.store;

import reactor.core.publisher.Mono;

/** Which instance, on which host, runs a job: recorded when it starts and when a restarted server re-attaches. */
public interface JobOwnerStore {

    /** The instance running a job and the host its process lives on. */
    record JobOwner(String instanceId, String host) {
    }

    Mono<Void> record(long jobId, JobOwner owner);

    /** Empty when the job never started (or started before owners were recorded). */
    Mono<JobOwner> of(long jobId);
}
