package org.wikimedia.spiderpig.web;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** One route of the API: a method, a path pattern ({@code /api/jobs/{id}}), what it needs, and its handler. */
public record Endpoint(HttpMethod method, String pattern, Access access, HandlerFunction<ServerResponse> handler) {

    /** What a caller must be allowed to do; {@link SecurityChain} enforces it per endpoint. */
    public enum Access {
        /** Anyone, signed in or not (the sign-in itself). */
        PUBLIC,
        /** Any signed-in user, whatever their role. */
        SIGNED_IN,
        /** The viewer role or higher. */
        VIEW,
        /** The deployer role or higher. */
        DEPLOY,
        /** The admin role. */
        ADMIN
    }
}
