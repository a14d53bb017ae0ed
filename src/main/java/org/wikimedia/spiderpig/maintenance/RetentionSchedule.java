package org.wikimedia.spiderpig.maintenance;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs retention every {@code interval}, the first time shortly after start (a server restarted more often than
 * the interval still cleans up). A run that finds a backup going is skipped; a failed run is logged and counted,
 * and the next one tries again.
 */
public class RetentionSchedule implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSchedule.class);

    private final RetentionService retention;
    private final Duration firstRun;
    private final Duration interval;
    private volatile Disposable schedule;

    public RetentionSchedule(RetentionService retention, Duration firstRun, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("spiderpig.retention.interval must be positive, not " + interval);
        }
        this.retention = retention;
        this.firstRun = firstRun;
        this.interval = interval;
    }

    @Override
    public void start() {
        schedule = Flux.interval(firstRun, interval, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> retention.run()
                        .onErrorResume(Problem.class, busy -> {
                            LOG.info("retention run skipped: {}", busy.getMessage());
                            return Mono.empty();
                        })
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
