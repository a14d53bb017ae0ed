package org.wikimedia.spiderpig.store;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Commands for a job that another instance runs (an answer, a cancel, a signal): one instance adds them, the
 * instance running the job claims each once and carries it out.
 */
public interface JobCommandStore {

    /** A command not yet carried out. */
    record JobCommand(long id, long jobId, String kind, Map<String, String> payload) {
    }

    Mono<Void> add(long jobId, String kind, Map<String, String> payload, Instant at);

    /** Commands not yet claimed for any of these jobs, oldest first. */
    Flux<JobCommand> pending(Collection<Long> jobIds);

    /** Marks the command done; true only for the one caller that did, so it is carried out once. */
    Mono<Boolean> claim(long commandId, Instant at);

    /**
     * The job of each command that any instance adds, as it is added, where the database tells (PostgreSQL's
     * notices); never, where it does not: then only {@link #pending} finds them. Not every one is guaranteed
     * (a notice may be lost with its connection), so whoever waits for commands polls as well.
     */
    default Flux<Long> added() {
        return Flux.never();
    }
}
