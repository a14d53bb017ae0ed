package org.wikimedia.spiderpig.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriUtils;
import org.wikimedia.spiderpig.security.AuditTrail;
import org.wikimedia.spiderpig.store.AuditStore.AuditQuery;
import reactor.core.publisher.Mono;

/** The audit trail for admins, newest first, filtered by user, action or job. */
class AuditHandler {

    private final AuditTrail audit;

    AuditHandler(AuditTrail audit) {
        this.audit = audit;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        int limit = RequestValues.queryLong(request, "limit", 1, JobHandler.MAX_PAGE).orElse((long) JobHandler.DEFAULT_PAGE).intValue();
        Long before = RequestValues.queryLong(request, "before", 1, Long.MAX_VALUE).orElse(null);
        Long job = RequestValues.queryLong(request, "job", 1, Long.MAX_VALUE).orElse(null);
        String user = request.queryParam("user").orElse(null);
        String action = request.queryParam("action").orElse(null);
        return audit.find(new AuditQuery(user, action, job, before, limit)).flatMap(entries -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("entries", entries);
            body.put("next", entries.size() < limit ? null : "/api/audit?limit=" + limit
                    + "&before=" + entries.get(entries.size() - 1).id()
                    + request.queryParam("user").map(u -> "&user=" + UriUtils.encodeQueryParam(u, StandardCharsets.UTF_8)).orElse("")
                    + request.queryParam("action").map(a -> "&action=" + UriUtils.encodeQueryParam(a, StandardCharsets.UTF_8)).orElse("")
                    + (job == null ? "" : "&job=" + job));
            return ServerResponse.ok().bodyValue(body);
        });
    }
}
