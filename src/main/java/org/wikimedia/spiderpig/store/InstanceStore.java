package org.wikimedia.spiderpig.store;

import java.time.Instant;
import reactor.core.publisher.Mono;

/** The heartbeats of the server instances that share the database. */
public interface InstanceStore {

    /** Records that instance {@code id} on {@code host} is alive at {@code now}. */
    Mono<Void> beat(String id, String host, Instant startedAt, Instant now);

    /** The latest heartbeat of any instance on {@code host}; empty when none was ever seen there. */
    Mono<Instant> hostLastSeen(String host);

    /** Drops instances not seen since {@code cutoff} (each start of a server is a new instance). */
    Mono<Void> forgetNotSeenSince(Instant cutoff);
}
