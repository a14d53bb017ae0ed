package org.wikimedia.spiderpig.job;

import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.runner.RunnerEvent;
import reactor.core.publisher.Mono;

/** What the job engine needs from the interaction service: prompts opened and closed by a job's life. */
public interface Prompts {

    /** The job's subprocess asks something: store it, log it, tell everyone. */
    Mono<Void> open(Job job, RunnerEvent.Prompt prompt);

    /** Closes the job's pending prompts unanswered (it ended or is being cancelled), logging each. */
    Mono<Void> closePending(long jobId, String reason);
}
