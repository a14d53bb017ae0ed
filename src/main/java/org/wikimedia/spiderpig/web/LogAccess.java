package org.wikimedia.spiderpig.web;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.AuditTrail;
import org.wikimedia.spiderpig.security.CurrentUser;
import org.wikimedia.spiderpig.security.SecurityMode;
import org.wikimedia.spiderpig.security.SpiderPigUser;
import reactor.core.publisher.Mono;

/**
 * Who may read output unmasked ({@code ?unmasked=true}): the unmasked role (admin unless configured lower),
 * and every such read goes into the audit trail before a line is sent.
 */
class LogAccess {

    private final SecurityMode mode;
    private final AuditTrail audit;

    LogAccess(SecurityMode mode, AuditTrail audit) {
        this.mode = mode;
        this.audit = audit;
    }

    /** True when the request asks for unmasked output (any value but {@code false}). */
    static boolean asksUnmasked(ServerRequest request) {
        return request.queryParam("unmasked").filter(value -> !value.equals("false")).isPresent();
    }

    /** Completes with whether to unmask: false when not asked; a 403 when not allowed; audited when allowed. */
    Mono<Boolean> unmasked(ServerRequest request, long jobId) {
        if (!asksUnmasked(request)) {
            return Mono.just(false);
        }
        SpiderPigUser user = CurrentUser.of(request.attributes());
        if (!mode.mayReadUnmasked(user)) {
            return Mono.error(new Problem(403, "forbidden", "Forbidden",
                    "Unmasked output is only for the " + mode.unmaskedRole().name().toLowerCase(java.util.Locale.ROOT)
                            + " role (spiderpig.security.unmasked-role)."));
        }
        return audit.record(user.name(), AuditTrail.Action.UNMASKED_OUTPUT_READ, ClientRequests.address(request), jobId,
                request.path()).thenReturn(true);
    }
}
