package org.wikimedia.spiderpig.security;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.store.AuditStore;
import org.wikimedia.spiderpig.store.AuditStore.AuditEntry;
import org.wikimedia.spiderpig.store.AuditStore.AuditQuery;
import reactor.core.publisher.Mono;

/** Records who did what from where (anonymized), and lists it for admins. */
public class AuditTrail {

    /** What the trail records; the wire name is the lower-case, dashed form. */
    public enum Action {
        SIGNED_IN, SIGN_IN_FAILED, SIGN_IN_REFUSED, LOCKED_OUT, SIGNED_OUT, EVERYONE_SIGNED_OUT,
        JOB_STARTED, JOB_CANCELLED, JOB_RETRIED, JOB_SIGNALLED, PROMPT_ANSWERED, UNMASKED_OUTPUT_READ, TOKEN_CREATED,
        TOKEN_REVOKED, SECOND_FACTOR_ENROLLED, SECOND_FACTOR_RESET;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final AuditStore store;
    private final Clock clock;

    public AuditTrail(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Completes once written; the entry is also logged, so that a failing database still leaves a trace. */
    public Mono<Void> record(String user, Action action, InetAddress from, Long jobId, String detail) {
        String address = ClientAddress.anonymized(from);
        LOG.info("audit: {} {} from {} job {} {}", user, action.wireName(), address, jobId, detail == null ? "" : detail);
        return store.append(clock.instant(), user, action.wireName(), address, jobId, detail);
    }

    public Mono<List<AuditEntry>> find(AuditQuery query) {
        return store.find(query).collectList();
    }
}
