package org.wikimedia.spiderpig.store;

import java.time.Instant;
import reactor.core.publisher.Mono;

/**
 * Who may start and run a concurrency group's jobs, across instances: one lease row per group, taken and renewed
 * by conditional writes, so exactly one taker wins.
 */
public interface QueueLeaseStore {

    /**
     * Takes the group's lease until {@code until} when it is free, expired at {@code now}, or already held by
     * {@code holder}; true when {@code holder} holds it afterwards.
     */
    Mono<Boolean> acquire(String group, String holder, Instant now, Instant until);

    /** Takes the group's lease whoever holds it: for a job this instance re-attached to, which holds its group. */
    Mono<Void> hold(String group, String holder, Instant until);

    /** Extends every lease {@code holder} holds. */
    Mono<Void> renewAll(String holder, Instant until);

    /** Lets go of the group's lease if {@code holder} holds it. */
    Mono<Void> release(String group, String holder);

    /** Drops the leases of {@code host}'s other instances: earlier processes of a server that restarted there. */
    Mono<Void> releaseEarlierInstances(String host, String current);
}
