package org.wikimedia.spiderpig.runner;

import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A started subprocess of one job. */
public interface JobProcess {

    /** The process id, which is also its process group id (each job runs in a group of its own). */
    long pid();

    /**
     * Everything the process says, in order, ending with exactly one {@link RunnerEvent.Exited}.
     * Subscribe once, soon after the launch: reading starts at the subscription (until then the
     * command blocks once its pipe is full). Reading waits for demand, so a slow consumer slows the
     * pipe, never memory. Events are delivered on the job's reader threads ({@code job-<id>-stdout},
     * {@code job-<id>-stderr}) or the launcher's timer thread: do not block in {@code onNext}; hand
     * slow work on (e.g. {@code concatMap} to an I/O scheduler). Cancelling the subscription does not
     * stop the process ({@link #cancel()} does); its output is then read and dropped.
     */
    Flux<RunnerEvent> events();

    /**
     * Writes one answer line (a newline is added) to the process's stdin, on an I/O thread. Fails with
     * {@link IllegalArgumentException} for a line holding a newline, {@link IllegalStateException} when the
     * job has ended, {@link java.io.UncheckedIOException} when the command has closed its stdin.
     */
    Mono<Void> answer(String line);

    /**
     * {@link #answer(String)} for the answer with id {@code answerId}; a process that can tell (a supervised
     * one) writes each answer id once, however often it is sent, so the server may send again whatever it is
     * not sure arrived.
     */
    default Mono<Void> answer(long answerId, String line) {
        return answer(line);
    }

    /**
     * Lets go of the process without stopping it (the server is stopping; a supervised command runs on and
     * the next server picks it up again): {@link #events()} completes without an exit.
     */
    default void detach() {
    }

    /** The job's end is recorded: whatever was kept so that a restarted server could read on can go. */
    default void discard() {
    }

    /**
     * SIGINT to the whole process group, then SIGTERM and SIGKILL after the spec's grace periods, each
     * only while something of the group is still alive. Completes when the group is gone (or SIGKILL
     * was sent and waited for). Idempotent: every call answers the same cancellation.
     */
    default Mono<Void> cancel() {
        return cancel(signal -> Mono.empty());
    }

    /**
     * {@link #cancel()}, awaiting {@code beforeEachSignal} with the signal's name ({@code INT}, {@code TERM},
     * {@code KILL}) before each signal it sends (and not for signals it has no need to send); a failure of it
     * does not stop the signal. Only the first call's {@code beforeEachSignal} is used.
     */
    Mono<Void> cancel(Function<String, Mono<Void>> beforeEachSignal);

    /**
     * Never completes while the process's output is read and reported; errors, saying what broke, when a
     * reader of its output failed (an {@link Error} included) or its exit could not be reported. Such a
     * failure may have broken {@link #events()} on the way, so this signal travels apart from it; the
     * process itself is not stopped ({@link #cancel()} does that).
     */
    default Mono<Void> failure() {
        return Mono.never();
    }

    /**
     * Sends one signal ({@code INT}, {@code KILL}, …) to the whole process group now, without the
     * escalation of {@link #cancel()}. Answers false when nothing of the group was alive to receive it.
     */
    Mono<Boolean> signal(String signal);
}
