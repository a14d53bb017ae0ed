package org.wikimedia.spiderpig.web;

import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * One route of the API: a method, a path pattern ({@code /api/jobs/{id}}), what it needs, its handler, and
 * the media types it answers in (a request whose {@code Accept} takes none of them is a 406).
 */
public record Endpoint(HttpMethod method, String pattern, Access access, HandlerFunction<ServerResponse> handler,
                       List<MediaType> produces) {

    /** A route that answers JSON. */
    public Endpoint(HttpMethod method, String pattern, Access access, HandlerFunction<ServerResponse> handler) {
        this(method, pattern, access, handler, List.of(MediaType.APPLICATION_JSON));
    }

    public Endpoint {
        produces = List.copyOf(produces);
    }

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
