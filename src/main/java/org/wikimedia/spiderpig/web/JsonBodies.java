package org.wikimedia.spiderpig.web;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.publisher.Mono;

/** Request bodies: JSON objects, required. Decoding failures become problems in {@link ProblemHandler}. */
final class JsonBodies {

    private JsonBodies() {
    }

    static <T> Mono<T> read(ServerRequest request, Class<T> type) {
        return request.bodyToMono(type)
                .switchIfEmpty(Mono.error(() -> Problem.malformed("The request needs a JSON body.")));
    }
}
