package org.wikimedia.spiderpig.web;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.POST;
import static org.wikimedia.spiderpig.web.Endpoint.Access.ADMIN;
import static org.wikimedia.spiderpig.web.Endpoint.Access.DEPLOY;
import static org.wikimedia.spiderpig.web.Endpoint.Access.PUBLIC;
import static org.wikimedia.spiderpig.web.Endpoint.Access.SIGNED_IN;
import static org.wikimedia.spiderpig.web.Endpoint.Access.VIEW;

import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.pattern.PathPatternParser;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.publisher.Mono;

/**
 * Every route of the server, in one list: what a security test enumerates, and what docs/api.md documents.
 */
public class ApiRoutes {

    private final List<Endpoint> endpoints;
    private final SpaHandler pages;

    ApiRoutes(JobHandler jobs, InteractionHandler interactions, EventStreamHandler streams, LogHandler logs,
              GerritHandler gerrit, TrainHandler train, SpaHandler pages, AdminHandler admin, SignInRoutes signIn) {
        this.pages = pages;
        this.endpoints = List.of(
                new Endpoint(GET, "/api/status", VIEW, jobs::status),
                new Endpoint(GET, "/api/events", VIEW, streams::allJobs, List.of(MediaType.TEXT_EVENT_STREAM)),
                new Endpoint(GET, "/api/jobs", VIEW, jobs::list),
                new Endpoint(POST, "/api/jobs", DEPLOY, jobs::create),
                new Endpoint(GET, "/api/jobs/{id}", VIEW, jobs::get),
                new Endpoint(POST, "/api/jobs/{id}/cancel", DEPLOY, jobs::cancel),
                new Endpoint(POST, "/api/jobs/{id}/signal", DEPLOY, jobs::signal),
                new Endpoint(POST, "/api/jobs/{id}/retry", DEPLOY, jobs::retry),
                new Endpoint(GET, "/api/jobs/{id}/events", VIEW, streams::job, List.of(MediaType.TEXT_EVENT_STREAM)),
                new Endpoint(GET, "/api/jobs/{id}/log", VIEW, logs::range,
                        List.of(MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN)),
                new Endpoint(GET, "/api/jobs/{id}/log/size", VIEW, logs::size),
                new Endpoint(GET, "/api/jobs/{id}/steps", VIEW, logs::steps),
                new Endpoint(GET, "/api/jobs/{id}/log.txt", VIEW, logs::download, List.of(MediaType.TEXT_PLAIN)),
                new Endpoint(GET, "/api/jobs/{id}/interactions", VIEW, interactions::list),
                new Endpoint(GET, "/api/jobs/{id}/interactions/{iid}", VIEW, interactions::get),
                new Endpoint(POST, "/api/jobs/{id}/interactions/{iid}", DEPLOY, interactions::answer),
                new Endpoint(GET, "/api/gerrit/changes/{change}", VIEW, gerrit::change),
                new Endpoint(GET, "/api/train/status", VIEW, train::status),
                new Endpoint(GET, "/api/admin/retention", ADMIN, admin::retentionStatus),
                new Endpoint(POST, "/api/admin/retention", ADMIN, admin::runRetention),
                new Endpoint(POST, "/api/admin/backup", ADMIN, admin::backup),
                new Endpoint(GET, "/api/session", PUBLIC, signIn.sessions()::current),
                new Endpoint(POST, "/api/session", PUBLIC, signIn.sessions()::signIn),
                new Endpoint(DELETE, "/api/session", SIGNED_IN, signIn.sessions()::signOut),
                new Endpoint(POST, "/api/session/second-factor", SIGNED_IN, signIn.sessions()::proveSecondFactor),
                new Endpoint(POST, "/api/session/second-factor/enrolment", SIGNED_IN, signIn.sessions()::beginEnrolment),
                new Endpoint(DELETE, "/api/admin/second-factors/{user}", ADMIN, signIn.sessions()::resetSecondFactor),
                new Endpoint(DELETE, "/api/sessions", ADMIN, signIn.sessions()::signEveryoneOut),
                new Endpoint(GET, "/api/tokens", VIEW, signIn.tokens()::list),
                new Endpoint(POST, "/api/tokens", VIEW, signIn.tokens()::create),
                new Endpoint(DELETE, "/api/tokens/{id}", VIEW, signIn.tokens()::revoke),
                new Endpoint(GET, "/api/audit", ADMIN, signIn.audit()::list));
    }

    /** The handlers of sign-in, tokens and the audit trail. */
    record SignInRoutes(SessionHandler sessions, TokenHandler tokens, AuditHandler audit) {
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Web UI page addresses, answered with index.html. */
    public static List<String> pagePatterns() {
        return List.of("/", "/jobs/{id}", "/train", "/signin", "/audit", "/tokens");
    }

    RouterFunction<ServerResponse> routerFunction() {
        RouterFunctions.Builder routes = RouterFunctions.route();
        for (Endpoint endpoint : endpoints) {
            routes.add(RouterFunctions.route(methods(endpoint.method()).and(RequestPredicates.path(endpoint.pattern())),
                    endpoint.handler()).filter(MediaTypeChecks.forEndpoint(endpoint)));
        }
        pagePatterns().forEach(pattern -> routes.route(methods(GET).and(RequestPredicates.path(pattern)), pages::index));
        routes.route(RequestPredicates.path("/api/**"), this::unmatched);
        return routes.build();
    }

    /** HEAD is answered wherever GET is, as GET without the body (HTTP's own rule). */
    private static RequestPredicate methods(HttpMethod method) {
        return method.equals(GET) ? RequestPredicates.method(GET).or(RequestPredicates.method(HEAD)) : RequestPredicates.method(method);
    }

    private static List<String> allowed(HttpMethod method) {
        return method.equals(GET) ? List.of(GET.name(), HEAD.name()) : List.of(method.name());
    }

    /** An /api address that no endpoint takes: 405 if the path exists with other methods, else 404. */
    private Mono<ServerResponse> unmatched(ServerRequest request) {
        PathContainer path = request.requestPath().pathWithinApplication();
        String allowed = endpoints.stream()
                .filter(endpoint -> PathPatternParser.defaultInstance.parse(endpoint.pattern()).matches(path))
                .flatMap(endpoint -> allowed(endpoint.method()).stream())
                .distinct()
                .collect(Collectors.joining(", "));
        if (allowed.isEmpty()) {
            return Mono.error(Problem.notFound("There is no API route " + request.path() + " (see docs/api.md)."));
        }
        return Mono.error(new ProblemHandler.MethodNotAllowedOnRoute(request.method().name(), allowed));
    }

}
