package org.wikimedia.spiderpig.store;

import java.time.Instant;
import java.util.Map;
import org.wikimedia.spiderpig.job.Prompts;
import org.wikimedia.spiderpig.model.Interaction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Prompts and their answers. {@link #answer} is the single place where the race between answers is decided. */
public interface InteractionStore {

    Mono<Interaction> open(long jobId, String kind, String prompt, Map<String, String> choices,
                               String defaultChoice, Instant at);

    Mono<Interaction> find(long id);

    /** Oldest first. */
    Flux<Interaction> forJob(long jobId);

    Mono<Interaction> pendingForJob(long jobId);

    /**
     * Stores the answer only if the interaction is still pending, in one conditional write. True for
     * exactly one of any number of concurrent callers.
     */
    Mono<Boolean> answer(long id, String response, String answeredBy, Instant at);

    /** Closes the job's pending interactions without an answer; emits the ones it closed. */
    Flux<Interaction> closePending(long jobId, String reason, Instant at);
}
