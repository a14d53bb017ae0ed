package org.wikimedia.spiderpig.web;

import java.util.List;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.gerrit.ChangeDetailsSource;
import org.wikimedia.spiderpig.job.ChangeIdsValidator;
import org.wikimedia.spiderpig.job.InvalidParametersException.FieldError;
import org.wikimedia.spiderpig.job.InvalidParametersException;
import reactor.core.publisher.Mono;

/** A change's details while a deployer types it: Gerrit's answer, briefly cached. */
class GerritHandler {

    private final ChangeDetailsSource previews;

    GerritHandler(ChangeDetailsSource previews) {
        this.previews = previews;
    }

    Mono<ServerResponse> change(ServerRequest request) {
        String given = request.pathVariable("change");
        return Mono.fromCallable(() -> ChangeIdsValidator.normalise(given).orElseThrow(() ->
                        new InvalidParametersException(List.of(new FieldError("change", given,
                                "is not a Gerrit change number or change URL")))))
                .flatMap(previews::fetch)
                .flatMap(details -> ServerResponse.ok().bodyValue(details));
    }
}
