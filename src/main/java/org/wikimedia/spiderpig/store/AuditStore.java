package org.wikimedia.spiderpig.store;

import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The audit trail: who did what, when, from where. Only appended to. */
public interface AuditStore {

    record AuditEntry(long id, Instant at, String user, String action, String address, Long jobId, String detail) {
    }

    /** Which entries to list; null fields do not filter. */
    record AuditQuery(String user, String action, Long jobId, Long before, int limit) {
    }

    Mono<Void> append(Instant at, String user, String action, String address, Long jobId, String detail);

    /** Newest first. */
    Flux<AuditEntry> find(AuditQuery query);
}
