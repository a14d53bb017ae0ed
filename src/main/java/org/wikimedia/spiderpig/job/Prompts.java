package org.wikimedia.spiderpig.job;

import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.runner.RunnerEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What the job engine needs from the interaction service: prompts opened and closed by a job's life. */
public interface Prompts {

    /** The job's subprocess asks something: store it, log it, tell everyone. */
    default Mono<Void> open(Job job, RunnerEvent.Prompt prompt) {
        return open(job, prompt, null);
    }

    /** {@link #open(Job, RunnerEvent.Prompt)} of a prompt read from the job's spool, logged with its mark. */
    Mono<Void> open(Job job, RunnerEvent.Prompt prompt, SpoolMark mark);

    /** Closes the job's pending prompts unanswered (it ended or is being cancelled), logging each. */
    Mono<Void> closePending(long jobId, String reason);

    /** The job's prompts, oldest first. */
    default Flux<Interaction> ofJob(long jobId) {
        return Flux.empty();
    }

    /** The line the log shows after a prompt's answer, saying who answered what. */
    static OutputLine answerLine(Interaction answered) {
        return OutputLine.unnumbered(OutputLine.Stream.STDOUT,
                "[spiderpig] " + answered.answeredBy() + " answered \"" + answered.response() + "\"", false);
    }
}
