package org.wikimedia.spiderpig.job;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Work repeated every interval (and on each extra tick) on a timer thread of its own, one run at a time: a tick
 * during a run is dropped rather than queued, and a failed run is logged and the next tick tries again.
 */
final class PeriodicWork {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicWork.class);

    private final String threadName;
    private final Duration interval;
    private final Flux<?> extraTicks;
    private final BooleanSupplier due;
    private final Supplier<Mono<Void>> work;
    private Scheduler timer;
    private Disposable runs;

    /** {@code due}: checked at each tick, before any work; the run is skipped when false. */
    PeriodicWork(String threadName, Duration interval, Flux<?> extraTicks, BooleanSupplier due, Supplier<Mono<Void>> work) {
        this.threadName = threadName;
        this.interval = interval;
        this.extraTicks = extraTicks;
        this.due = due;
        this.work = work;
    }

    synchronized void start() {
        timer = Schedulers.newSingle(threadName);
        runs = Flux.merge(Flux.interval(interval, interval, timer), extraTicks)
                .filter(tick -> due.getAsBoolean())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(work).onErrorResume(e -> {
                    LOG.warn("{}: this run failed; the next one tries again", threadName, e);
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    synchronized void stop() {
        if (runs != null) {
            runs.dispose();
            timer.dispose();
            runs = null;
        }
    }

    synchronized boolean running() {
        return runs != null;
    }
}
