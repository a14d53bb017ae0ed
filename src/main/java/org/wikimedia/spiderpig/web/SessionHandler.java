package org.wikimedia.spiderpig.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.AuditTrail;
import org.wikimedia.spiderpig.security.CurrentUser;
import org.wikimedia.spiderpig.security.SecondFactors;
import org.wikimedia.spiderpig.security.SecurityMode;
import org.wikimedia.spiderpig.security.Sessions;
import org.wikimedia.spiderpig.security.SignIn;
import org.wikimedia.spiderpig.security.SignedIn;
import org.wikimedia.spiderpig.security.SpiderPigUser;
import reactor.core.publisher.Mono;

/** Who am I, sign in (password, then the second factor), sign out, and sign everyone out. */
class SessionHandler {

    private final SecurityMode mode;
    private final SignIn signIn;
    private final Sessions sessions;
    private final SecondFactors secondFactors;
    private final AuditTrail audit;
    private final List<SignInMethod> methods;

    SessionHandler(SecurityMode mode, SignIn signIn, Sessions sessions, SecondFactors secondFactors, AuditTrail audit,
            List<SignInMethod> methods) {
        this.mode = mode;
        this.signIn = signIn;
        this.sessions = sessions;
        this.secondFactors = secondFactors;
        this.audit = audit;
        this.methods = List.copyOf(methods);
    }

    /**
     * A way to sign in, for the sign-in page: {@code password} is a {@code POST} of {"user","password"} to
     * {@code start}; {@code oidc} is a browser navigation to {@code start} ("Sign in with {@code name}").
     */
    record SignInMethod(String type, String name, String start) {
    }

    /** The body of {@code POST /api/session}; {@code code} may come along, or in a second step. */
    record SignInRequest(String user, String password, String code) {
    }

    /** The body of {@code POST /api/session/second-factor}. */
    record CodeRequest(String code) {
    }

    Mono<ServerResponse> current(ServerRequest request) {
        return describe(request, CurrentUser.find(request.attributes()).orElse(null))
                .flatMap(body -> ServerResponse.ok().bodyValue(body));
    }

    Mono<ServerResponse> signIn(ServerRequest request) {
        requireSignInConfigured();
        return JsonBodies.read(request, SignInRequest.class)
                .flatMap(body -> {
                    if (body.user() == null || body.user().isBlank() || body.password() == null) {
                        return Mono.error(Problem.malformed("Sign in with {\"user\": …, \"password\": …}, and \"code\" when"
                                + " the account has a second factor."));
                    }
                    return signIn.signIn(body.user(), body.password(), body.code(), ClientRequests.address(request));
                })
                .flatMap(outcome -> outcome.secondFactorPending()
                        ? sessions.startPending(outcome.user()).flatMap(secret -> describePending(outcome.user().name())
                                .flatMap(body -> answer(request, secret, Sessions.PENDING_LIFETIME, body)))
                        : startSession(request, outcome.user()));
    }

    /** The code after the password (a pending session then becomes a whole one), or a signed-in user's enrolment. */
    Mono<ServerResponse> proveSecondFactor(ServerRequest request) {
        requireSignInConfigured();
        SpiderPigUser caller = CurrentUser.of(request.attributes());
        return via(request).flatMap(via -> {
            if (via != SignedIn.Via.PASSWORD_ONLY && via != SignedIn.Via.SESSION) {
                return Mono.error(sessionsOnly());
            }
            boolean signingIn = via == SignedIn.Via.PASSWORD_ONLY;
            return JsonBodies.read(request, CodeRequest.class)
                    .flatMap(body -> signIn.proveSecondFactor(caller.name(), body.code(), ClientRequests.address(request), signingIn))
                    .flatMap(user -> signingIn
                            ? endThisSession(request).then(startSession(request, user))
                            : describe(request, user).flatMap(described -> ServerResponse.ok().bodyValue(described)));
        });
    }

    /** A new secret for the caller's authenticator app: its otpauth:// URI and QR code. */
    Mono<ServerResponse> beginEnrolment(ServerRequest request) {
        requireSignInConfigured();
        SpiderPigUser caller = CurrentUser.of(request.attributes());
        return via(request).flatMap(via -> via != SignedIn.Via.PASSWORD_ONLY && via != SignedIn.Via.SESSION
                ? Mono.error(sessionsOnly())
                : signIn.beginEnrolment(caller.name()).flatMap(enrolment -> ServerResponse.ok()
                        .header(HttpHeaders.CACHE_CONTROL, "no-store").bodyValue(enrolment)));
    }

    Mono<ServerResponse> signOut(ServerRequest request) {
        SpiderPigUser user = CurrentUser.of(request.attributes());
        return endThisSession(request)
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

    /** Forgets a user's second factor (a lost phone): they enrol again at their next sign-in. Admins only. */
    Mono<ServerResponse> resetSecondFactor(ServerRequest request) {
        SpiderPigUser admin = CurrentUser.of(request.attributes());
        String user = request.pathVariable("user");
        return secondFactors.reset(user).flatMap(removed -> removed
                ? audit.record(admin.name(), AuditTrail.Action.SECOND_FACTOR_RESET, ClientRequests.address(request), null,
                        "of " + user).then(ServerResponse.noContent().build())
                : Mono.error(Problem.notFound("The user \"" + user + "\" has no second factor.")));
    }

    private Mono<ServerResponse> startSession(ServerRequest request, SpiderPigUser user) {
        return sessions.start(user).flatMap(secret -> describe(request, user, SignedIn.Via.SESSION)
                .flatMap(body -> answer(request, secret, sessions.lifetime(), body)));
    }

    private static Mono<ServerResponse> answer(ServerRequest request, String secret, Duration lifetime,
                                               Map<String, Object> body) {
        return ServerResponse.ok()
                .cookie(SessionCookie.of(request.exchange().getRequest(), secret, lifetime))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .bodyValue(body);
    }

    private Mono<Void> endThisSession(ServerRequest request) {
        return SessionCookie.secret(request.exchange().getRequest()).map(sessions::end).orElse(Mono.empty());
    }

    private void requireSignInConfigured() {
        if (mode.localMode()) {
            throw new Problem(409, "local-mode", "Local mode",
                    "This server runs in local mode: there is no sign-in, everyone on this machine is "
                            + mode.localUser().name() + ".");
        }
    }

    private static Problem sessionsOnly() {
        return new Problem(409, "not-a-session", "Not a browser session",
                "A second factor belongs to signing in with a password; a token cannot enrol or use one.");
    }

    private static Mono<SignedIn.Via> via(ServerRequest request) {
        return request.principal().ofType(SignedIn.class).map(SignedIn::via);
    }

    private Mono<Map<String, Object>> describe(ServerRequest request, SpiderPigUser user) {
        return via(request).defaultIfEmpty(SignedIn.Via.LOCAL_MODE).flatMap(via -> describe(request, user, via));
    }

    /**
     * {@code secondFactor}: "verify" or "enrol" for a session that owes it, "enrolled" or "not-enrolled" for a
     * signed-in session, null otherwise.
     */
    private Mono<Map<String, Object>> describe(ServerRequest request, SpiderPigUser user, SignedIn.Via via) {
        if (user != null && via == SignedIn.Via.PASSWORD_ONLY) {
            return describePending(user.name());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user == null ? null : user.name());
        body.put("roles", user == null ? List.of() : user.roles().stream().sorted().map(Enum::name).toList());
        body.put("localMode", mode.localMode());
        body.put("mayUnmask", user != null && mode.mayReadUnmasked(user));
        body.put("signInMethods", methods);
        if (user == null || via != SignedIn.Via.SESSION) {
            body.put("secondFactor", null);
            return Mono.just(body);
        }
        return secondFactors.enrolled(user.name()).map(enrolled -> {
            body.put("secondFactor", enrolled ? "enrolled" : "not-enrolled");
            return body;
        });
    }

    private Mono<Map<String, Object>> describePending(String name) {
        return secondFactors.enrolled(name).map(enrolled -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("user", name);
            body.put("roles", List.of());
            body.put("localMode", mode.localMode());
            body.put("mayUnmask", false);
            body.put("signInMethods", methods);
            body.put("secondFactor", enrolled ? "verify" : "enrol");
            return body;
        });
    }
}
