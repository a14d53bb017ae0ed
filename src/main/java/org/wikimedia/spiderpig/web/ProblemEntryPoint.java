package org.wikimedia.spiderpig.web;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.csrf.CsrfException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.server.ServerWebExchange;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.SignedIn;
import reactor.core.publisher.Mono;

/** 401 and 403 from the security chain, in the problem format like every other error ({@link ProblemHandler}). */
class ProblemEntryPoint implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        String detail = BearerTokenAuthentication.presented(exchange.getRequest().getHeaders())
                ? failure.getMessage()
                : "Sign in first (POST /api/session), or send a personal API token as Authorization: Bearer …";
        return Mono.error(new Problem(401, "unauthorized", "Not signed in", detail));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        if (denied instanceof CsrfException) {
            return Mono.error(new Problem(403, "csrf-token-missing", "Missing or wrong CSRF token",
                    "A signed-in browser request that changes something must echo the XSRF-TOKEN cookie in the"
                            + " X-XSRF-TOKEN header; scripts should use a token (Authorization: Bearer)."));
        }
        return exchange.getPrincipal()
                .filter(principal -> principal instanceof SignedIn signedIn && signedIn.via() == SignedIn.Via.PASSWORD_ONLY)
                .flatMap(pending -> Mono.<Void>error(secondFactorNeeded()))
                .switchIfEmpty(Mono.error(() -> new Problem(403, "forbidden", "Forbidden", "Your role does not allow this.")));
    }

    /** 401, not 403: the caller is not signed in yet, and the page sends them back to finish. */
    static Problem secondFactorNeeded() {
        return new Problem(401, "second-factor-needed", "Second factor needed",
                "Finish signing in with the code from your authenticator app (POST /api/session/second-factor),"
                        + " or enrol one first (POST /api/session/second-factor/enrolment).");
    }
}
