package org.wikimedia.spiderpig.web;

import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The session cookie: HttpOnly, SameSite=Lax, Secure when the request came over TLS. */
final class SessionCookie {

    static final String NAME = "spiderpig_session";

    private SessionCookie() {
    }

    static Optional<String> secret(ServerHttpRequest request) {
        return Optional.ofNullable(request.getCookies().getFirst(NAME)).map(HttpCookie::getValue)
                .filter(value -> !value.isBlank());
    }

    static ResponseCookie of(ServerHttpRequest request, String secret, Duration lifetime) {
        return ResponseCookie.from(NAME, secret)
                .httpOnly(true)
                .sameSite("Lax")
                .secure(request.getSslInfo() != null)
                .path("/")
                .maxAge(lifetime)
                .build();
    }

    static ResponseCookie expired(ServerHttpRequest request) {
        return of(request, "", Duration.ZERO);
    }
}
