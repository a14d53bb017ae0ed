package org.wikimedia.spiderpig.web;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.publisher.Mono;

/** The web UI's pages: every page address answers the same index.html, and the UI routes in the browser. */
class SpaHandler {

    private final Resource index = new ClassPathResource("static/index.html");

    Mono<ServerResponse> index(ServerRequest request) {
        if (!index.exists()) {
            return Mono.error(Problem.notFound(
                    "The web UI is not part of this build (it was built with -Dfrontend.skip); the API is under /api."));
        }
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noCache())
                .bodyValue(index);
    }
}
