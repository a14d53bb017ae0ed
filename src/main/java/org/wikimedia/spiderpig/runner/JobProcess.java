package org.wikimedia.spiderpig.runner;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A started subprocess of one job. */
public interface JobProcess {

    /** The process id, which is also its process group id (each job runs in a group of its own). */
    long pid();

    /**
     * Everything the process says, in order, ending with exactly one {@link RunnerEvent.Exited}.
     * Subscribe once. Reading waits for demand, so a slow consumer slows the pipe, never memory.
     */
    Flux<RunnerEvent> events();

    /** Writes one answer line (a newline is added) to the process's stdin. */
    Mono<Void> answer(String line);

    /** SIGINT to the whole process group, then SIGTERM and SIGKILL after the spec's grace periods. */
    Mono<Void> cancel();
}
