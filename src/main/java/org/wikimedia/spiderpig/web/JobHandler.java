package org.wikimedia.spiderpig.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.job.JobService;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.AuditTrail;
import org.wikimedia.spiderpig.security.CurrentUser;
import org.wikimedia.spiderpig.security.SpiderPigUser;
import reactor.core.publisher.Mono;

/** Jobs: start, list, look at, cancel; and what the server is busy with. */
class JobHandler {

    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;

    private final JobService jobs;
    private final Map<String, String> links;
    private final AuditTrail audit;

    JobHandler(JobService jobs, SpiderPigProperties.Gerrit gerrit, AuditTrail audit) {
        this.jobs = jobs;
        this.audit = audit;
        this.links = Map.of("gerrit", gerrit.getWebUrl(), "phabricator", gerrit.getPhabricatorUrl());
    }

    /** The body of {@code POST /api/jobs}. */
    record CreateJobRequest(String command, Map<String, Object> parameters) {
    }

    Mono<ServerResponse> create(ServerRequest request) {
        return JsonBodies.read(request, CreateJobRequest.class)
                .flatMap(body -> {
                    if (body.command() == null || body.command().isBlank()) {
                        return Mono.error(Problem.malformed("The job needs a \"command\" (the job type, e.g. \"backport\")."));
                    }
                    return jobs.create(body.command(), body.parameters() == null ? Map.of() : body.parameters(),
                            CurrentUser.of(request.attributes()));
                })
                .flatMap(job -> audit.record(job.owner(), AuditTrail.Action.JOB_STARTED, ClientRequests.address(request),
                                job.id(), job.command())
                        .then(ServerResponse.created(URI.create("/api/jobs/" + job.id())).bodyValue(job)));
    }

    Mono<ServerResponse> list(ServerRequest request) {
        int limit = RequestValues.queryLong(request, "limit", 1, MAX_PAGE).orElse((long) DEFAULT_PAGE).intValue();
        Long before = RequestValues.queryLong(request, "before", 1, Long.MAX_VALUE).orElse(null);
        return jobs.page(limit, before).flatMap(page -> {
            String next = page.nextBefore() == null ? null : "/api/jobs?limit=" + limit + "&before=" + page.nextBefore();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("jobs", page.jobs());
            body.put("next", next);
            ServerResponse.BodyBuilder response = ServerResponse.ok();
            if (next != null) {
                response.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
            }
            return response.bodyValue(body);
        });
    }

    Mono<ServerResponse> get(ServerRequest request) {
        long id = RequestValues.pathId(request, "id", "job");
        return jobs.get(id).flatMap(job -> ServerResponse.ok().bodyValue(job));
    }

    Mono<ServerResponse> cancel(ServerRequest request) {
        long id = RequestValues.pathId(request, "id", "job");
        SpiderPigUser user = CurrentUser.of(request.attributes());
        return jobs.cancel(id, user)
                .flatMap(job -> audit.record(user.name(), AuditTrail.Action.JOB_CANCELLED, ClientRequests.address(request),
                                id, null)
                        .then(ServerResponse.status(HttpStatus.ACCEPTED).bodyValue(job)));
    }

    Mono<ServerResponse> retry(ServerRequest request) {
        long id = RequestValues.pathId(request, "id", "job");
        SpiderPigUser user = CurrentUser.of(request.attributes());
        return jobs.retry(id, user)
                .flatMap(job -> audit.record(user.name(), AuditTrail.Action.JOB_RETRIED, ClientRequests.address(request),
                                job.id(), "run again of job " + id)
                        .then(ServerResponse.created(URI.create("/api/jobs/" + job.id())).bodyValue(job)));
    }

    /** The body of {@code POST /api/jobs/{id}/signal}. */
    record SignalRequest(String signal) {
    }

    Mono<ServerResponse> signal(ServerRequest request) {
        long id = RequestValues.pathId(request, "id", "job");
        SpiderPigUser user = CurrentUser.of(request.attributes());
        return JsonBodies.read(request, SignalRequest.class)
                .flatMap(body -> jobs.signal(id, body.signal(), user)
                        .flatMap(job -> audit.record(user.name(), AuditTrail.Action.JOB_SIGNALLED,
                                ClientRequests.address(request), id, body.signal())
                                .then(ServerResponse.status(HttpStatus.ACCEPTED).bodyValue(job))));
    }

    Mono<ServerResponse> status(ServerRequest request) {
        return jobs.activity().flatMap(activity -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("user", CurrentUser.of(request.attributes()));
            body.put("active", activity.active());
            body.put("queued", activity.queued());
            body.put("links", links);
            return ServerResponse.ok().bodyValue(body);
        });
    }
}
