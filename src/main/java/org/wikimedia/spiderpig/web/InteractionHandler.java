package org.wikimedia.spiderpig.web;

import java.util.Map;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.wikimedia.spiderpig.interaction.InteractionService;
import org.wikimedia.spiderpig.security.AuditTrail;
import org.wikimedia.spiderpig.security.CurrentUser;
import reactor.core.publisher.Mono;

/** A job's prompts, and answers to them. */
class InteractionHandler {

    private final InteractionService interactions;
    private final AuditTrail audit;

    InteractionHandler(InteractionService interactions, AuditTrail audit) {
        this.audit = audit;
        this.interactions = interactions;
    }

    /** The body of an answer. */
    record AnswerRequest(String response) {
    }

    Mono<ServerResponse> list(ServerRequest request) {
        long jobId = RequestValues.pathId(request, "id", "job");
        return interactions.list(jobId).collectList()
                .flatMap(all -> ServerResponse.ok().bodyValue(Map.of("interactions", all)));
    }

    Mono<ServerResponse> get(ServerRequest request) {
        long jobId = RequestValues.pathId(request, "id", "job");
        long interactionId = RequestValues.pathId(request, "iid", "interaction");
        return interactions.get(jobId, interactionId).flatMap(found -> ServerResponse.ok().bodyValue(found));
    }

    Mono<ServerResponse> answer(ServerRequest request) {
        long jobId = RequestValues.pathId(request, "id", "job");
        long interactionId = RequestValues.pathId(request, "iid", "interaction");
        return JsonBodies.read(request, AnswerRequest.class)
                .flatMap(body -> interactions.answer(jobId, interactionId, body.response(), CurrentUser.of(request.attributes())))
                .flatMap(answered -> audit.record(answered.answeredBy(), AuditTrail.Action.PROMPT_ANSWERED,
                                ClientRequests.address(request), jobId, "interaction " + interactionId)
                        .then(ServerResponse.ok().bodyValue(answered)));
    }
}
