package org.wikimedia.spiderpig.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.AuditTrail;
import org.wikimedia.spiderpig.security.CurrentUser;
import org.wikimedia.spiderpig.security.SecurityMode;
import org.wikimedia.spiderpig.security.Sessions;
import org.wikimedia.spiderpig.security.SignIn;
import org.wikimedia.spiderpig.security.SpiderPigUser;
import reactor.core.publisher.Mono;

/** Who am I, sign in, sign out, and sign everyone out. */
class SessionHandler {

    private final SecurityMode mode;
    private final SignIn signIn;
    private final Sessions sessions;
    private final AuditTrail audit;
    private final List<SignInMethod> methods;

    SessionHandler(SecurityMode mode, SignIn signIn, Sessions sessions, AuditTrail audit, List<SignInMethod> methods) {
        this.mode = mode;
        this.signIn = signIn;
        this.sessions = sessions;
        this.audit = audit;
        this.methods = List.copyOf(methods);
    }

    /**
     * A way to sign in, for the sign-in page: {@code password} is a {@code POST} of {"user","password"} to
     * {@code start}; {@code oidc} is a browser navigation to {@code start} ("Sign in with {@code name}").
     */
    record SignInMethod(String type, String name, String start) {
    }

    /** The body of {@code POST /api/session}. */
    record SignInRequest(String user, String password) {
    }

    Mono<ServerResponse> current(ServerRequest request) {
        return ServerResponse.ok().bodyValue(describe(CurrentUser.find(request.attributes()).orElse(null)));
    }

    Mono<ServerResponse> signIn(ServerRequest request) {
        if (mode.localMode()) {
            return Mono.error(new Problem(409, "local-mode", "Local mode",
                    "This server runs in local mode: there is no sign-in, everyone on this machine is "
                            + mode.localUser().name() + "."));
        }
        return JsonBodies.read(request, SignInRequest.class)
                .flatMap(body -> {
                    if (body.user() == null || body.user().isBlank() || body.password() == null) {
                        return Mono.error(Problem.malformed("Sign in with {\"user\": …, \"password\": …}."));
                    }
                    return signIn.signIn(body.user(), body.password(), ClientRequests.address(request));
                })
                .flatMap(user -> sessions.start(user).flatMap(secret -> ServerResponse.ok()
                        .cookie(SessionCookie.of(request.exchange().getRequest(), secret, sessions.lifetime()))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .bodyValue(describe(user))));
    }

    Mono<ServerResponse> signOut(ServerRequest request) {
        SpiderPigUser user = CurrentUser.of(request.attributes());
        Mono<Void> ended = SessionCookie.secret(request.exchange().getRequest()).map(sessions::end).orElse(Mono.empty());
        return ended
                .then(audit.record(user.name(), AuditTrail.Action.SIGNED_OUT, ClientRequests.address(request), null, null))
                .then(ServerResponse.noContent().cookie(SessionCookie.expired(request.exchange().getRequest())).build());
    }

    Mono<ServerResponse> signEveryoneOut(ServerRequest request) {
        SpiderPigUser admin = CurrentUser.of(request.attributes());
        return sessions.endAll()
                .flatMap(count -> audit.record(admin.name(), AuditTrail.Action.EVERYONE_SIGNED_OUT,
                                ClientRequests.address(request), null, count + " sessions")
                        .then(ServerResponse.ok().bodyValue(Map.of("signedOut", count))));
    }

    private Map<String, Object> describe(SpiderPigUser user) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user == null ? null : user.name());
        body.put("roles", user == null ? List.of() : user.roles().stream().sorted().map(Enum::name).toList());
        body.put("localMode", mode.localMode());
        body.put("signInMethods", methods);
        return body;
    }
}
