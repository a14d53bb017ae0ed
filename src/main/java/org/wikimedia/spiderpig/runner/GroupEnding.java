package org.wikimedia.spiderpig.runner;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Ends a job's process group: SIGINT (when asked), SIGTERM and SIGKILL, each only while something of it is
 * still alive, with the job's grace periods in between. How a signal is sent and how "gone" is told are
 * the caller's (directly, or through the job's supervisor).
 */
final class GroupEnding {

    private static final Logger LOG = LoggerFactory.getLogger(GroupEnding.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private final LaunchSpec spec;
    private final long pgid;
    private final Consumer<String> send;
    private final BooleanSupplier gone;
    private final Scheduler timer;
    private final Scheduler io;

    /** {@code send} and {@code gone} block briefly: they run on {@code io}. */
    GroupEnding(LaunchSpec spec, long pgid, Consumer<String> send, BooleanSupplier gone, Scheduler timer, Scheduler io) {
        this.spec = spec;
        this.pgid = pgid;
        this.send = send;
        this.gone = gone;
        this.timer = timer;
        this.io = io;
    }

    Mono<Void> end(boolean interruptFirst) {
        return end(interruptFirst, signal -> Mono.empty());
    }

    /** {@link #end(boolean)}, awaiting {@code beforeEachSignal} with the signal's name before each signal sent. */
    Mono<Void> end(boolean interruptFirst, Function<String, Mono<Void>> beforeEachSignal) {
        Mono<Boolean> afterFirst = interruptFirst
                ? signalAndAwait("INT", spec.interruptGrace(), beforeEachSignal)
                : goneNow();
        return afterFirst
                .flatMap(isGone -> isGone ? Mono.just(true) : signalAndAwait("TERM", spec.terminateGrace(), beforeEachSignal))
                .flatMap(isGone -> isGone ? Mono.just(true) : signalAndAwait("KILL", AFTER_KILL, beforeEachSignal))
                .doOnNext(isGone -> {
                    if (!isGone) {
                        LOG.error("Job {}: process group {} survived SIGKILL", spec.jobId(), pgid);
                    }
                })
                .then();
    }

    private Mono<Boolean> signalAndAwait(String signal, Duration grace, Function<String, Mono<Void>> beforeSignal) {
        // the note comes first, so that a log never shows the command reacting to a signal it does not record
        Mono<Void> note = Mono.defer(() -> gone.getAsBoolean() ? Mono.<Void>empty() : beforeSignal.apply(signal))
                .subscribeOn(io)
                .onErrorResume(noteFailed -> {
                    LOG.warn("Job {}: could not note SIG{} before sending it", spec.jobId(), signal, noteFailed);
                    return Mono.empty();
                });
        return note.then(Mono.fromCallable(() -> {
                    if (!gone.getAsBoolean()) {
                        LOG.info("Job {}: SIG{} to process group {}", spec.jobId(), signal, pgid);
                        send.accept(signal);
                    }
                    return true;
                })
                .subscribeOn(io))
                .then(Flux.interval(Duration.ZERO, POLL, timer)
                        .onBackpressureDrop()
                        .concatMap(tick -> goneNow(), 1)
                        .filter(Boolean::booleanValue)
                        .next()
                        .timeout(grace, Mono.just(false), timer));
    }

    private Mono<Boolean> goneNow() {
        return Mono.fromCallable(gone::getAsBoolean).subscribeOn(io);
    }
}
