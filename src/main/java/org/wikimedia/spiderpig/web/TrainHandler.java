package org.wikimedia.spiderpig.web;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.train.TrainStatusService;
import reactor.core.publisher.Mono;

/** Where the weekly train is, for the Train page. */
class TrainHandler {

    private final TrainStatusService train;

    TrainHandler(TrainStatusService train) {
        this.train = train;
    }

    Mono<ServerResponse> status(ServerRequest request) {
        return train.status().flatMap(status -> ServerResponse.ok().bodyValue(status));
    }
}
