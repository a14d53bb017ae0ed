package org.wikimedia.spiderpig.web;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.ApiTokens;
import org.wikimedia.spiderpig.security.AuditTrail;
import org.wikimedia.spiderpig.security.CurrentUser;
import org.wikimedia.spiderpig.security.Role;
import org.wikimedia.spiderpig.security.SpiderPigUser;
import org.wikimedia.spiderpig.store.TokenStore.StoredToken;
import reactor.core.publisher.Mono;

/** Personal API tokens: make one (shown once), list one's own, revoke. */
class TokenHandler {

    private final ApiTokens tokens;
    private final AuditTrail audit;

    TokenHandler(ApiTokens tokens, AuditTrail audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    /** The body of {@code POST /api/tokens}; role and days may be left out. */
    record CreateTokenRequest(String name, String role, Integer days) {
    }

    Mono<ServerResponse> create(ServerRequest request) {
        SpiderPigUser owner = CurrentUser.of(request.attributes());
        return JsonBodies.read(request, CreateTokenRequest.class)
                .flatMap(body -> {
                    if (body.name() == null || body.name().isBlank() || body.name().length() > 100) {
                        return Mono.error(Problem.malformed("Name the token (\"name\", up to 100 characters), e.g. after the script using it."));
                    }
                    Role role;
                    try {
                        role = body.role() == null ? null : Role.parse(body.role());
                    } catch (IllegalArgumentException e) {
                        return Mono.error(Problem.malformed(e.getMessage()));
                    }
                    return tokens.create(owner, body.name().strip(), role, body.days() == null ? null : Duration.ofDays(body.days()));
                })
                .flatMap(created -> audit.record(owner.name(), AuditTrail.Action.TOKEN_CREATED, ClientRequests.address(request),
                                null, "token " + created.record().id() + " \"" + created.record().name() + "\"")
                        .then(Mono.defer(() -> {
                            Map<String, Object> body = describe(created.record());
                            body.put("token", created.token());
                            return ServerResponse.created(URI.create("/api/tokens/" + created.record().id()))
                                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                                    .bodyValue(body);
                        })));
    }

    Mono<ServerResponse> list(ServerRequest request) {
        return tokens.list(CurrentUser.of(request.attributes()))
                .flatMap(all -> ServerResponse.ok().bodyValue(Map.of("tokens", all.stream().map(TokenHandler::describe).toList())));
    }

    Mono<ServerResponse> revoke(ServerRequest request) {
        long id = RequestValues.pathId(request, "id", "token");
        SpiderPigUser caller = CurrentUser.of(request.attributes());
        return tokens.revoke(caller, id).flatMap(revoked -> revoked
                ? audit.record(caller.name(), AuditTrail.Action.TOKEN_REVOKED, ClientRequests.address(request), null,
                        "token " + id).then(ServerResponse.noContent().build())
                : Mono.error(Problem.notFound("You have no live token " + id + ".")));
    }

    private static Map<String, Object> describe(StoredToken token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", token.id());
        body.put("name", token.name());
        body.put("owner", token.owner());
        body.put("role", token.role());
        body.put("createdAt", token.createdAt());
        body.put("expiresAt", token.expiresAt());
        body.put("lastUsedAt", token.lastUsedAt());
        return body;
    }
}
