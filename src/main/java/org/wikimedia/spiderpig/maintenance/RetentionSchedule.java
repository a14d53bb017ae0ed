package org.wikimedia.spiderpig.maintenance;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs retention every {@code interval}, the first time shortly after start (a server restarted more often than
 * the interval still cleans up). A run that finds a backup going is skipped; a failed run is logged and counted,
 * and the next one tries again.
 */
public class RetentionSchedule implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSchedule.class);

    private final Mono<?> run;
    private final Duration firstRun;
    private final Duration interval;
    private final Scheduler timer;
    private volatile Disposable schedule;

    /** @param run one retention run ({@link RetentionService#run()}) */
    public RetentionSchedule(Mono<?> run, Duration firstRun, Duration interval, Scheduler timer) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("spiderpig.retention.interval must be positive, not " + interval);
        }
        this.run = run;
        this.firstRun = firstRun;
        this.interval = interval;
        this.timer = timer;
    }

    @Override
    public void start() {
        schedule = Flux.interval(firstRun, interval, timer)
                .onBackpressureDrop()
                .concatMap(tick -> run
                        .onErrorResume(Problem.class, busy -> {
                            LOG.info("retention run skipped: {}", busy.getMessage());
                            return Mono.empty();
                        })
                        // RetentionService logged and counted it; the next tick tries again.
                        .onErrorResume(error -> Mono.empty()), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = schedule;
        if (running != null) {
            running.dispose();
        }
        schedule = null;
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }
}
