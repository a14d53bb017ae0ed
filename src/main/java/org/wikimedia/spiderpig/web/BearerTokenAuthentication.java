package org.wikimedia.spiderpig.web;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.wikimedia.spiderpig.security.ApiTokens;
import org.wikimedia.spiderpig.security.SignedIn;
import reactor.core.publisher.Mono;

/** {@code Authorization: Bearer <token>}: a personal API token, for scripts. A bad token is a 401, never anonymous. */
final class BearerTokenAuthentication {

    private static final String PREFIX = "Bearer ";

    private BearerTokenAuthentication() {
    }

    static AuthenticationWebFilter filter(ApiTokens tokens, ProblemEntryPoint entryPoint) {
        ReactiveAuthenticationManager manager = presented -> tokens.authenticate((String) presented.getCredentials())
                .<org.springframework.security.core.Authentication>map(user -> new SignedIn(user, SignedIn.Via.TOKEN))
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException(
                        "The API token is unknown, expired or revoked; make a new one (docs/security.md).")));
        ServerAuthenticationConverter converter = exchange -> Mono.justOrEmpty(bearer(exchange.getRequest().getHeaders()))
                .map(token -> UsernamePasswordAuthenticationToken.unauthenticated("token", token));
        AuthenticationWebFilter filter = new AuthenticationWebFilter(manager);
        filter.setServerAuthenticationConverter(converter);
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(entryPoint));
        return filter;
    }

    static boolean presented(HttpHeaders headers) {
        return bearer(headers) != null;
    }

    private static String bearer(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (value == null || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        String token = value.substring(PREFIX.length()).strip();
        return token.isEmpty() ? null : token;
    }
}
