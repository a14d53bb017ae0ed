package org.wikimedia.spiderpig.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The schedule in virtual time: first run soon after start, then every interval, undeterred by failures. */
class RetentionScheduleTest {

    @Test
    void runsAMinuteAfterStartThenHourlyAndGoesOnAfterFailuresAndBusySkips() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        AtomicInteger runs = new AtomicInteger();
        Mono<Object> run = Mono.defer(() -> switch (runs.incrementAndGet()) {
            case 2 -> Mono.error(new IllegalStateException("disk full"));
            case 3 -> Mono.error(new Problem(409, "maintenance-busy", "Maintenance already running", "A backup is running"));
            default -> Mono.just("report");
        });
        RetentionSchedule schedule = new RetentionSchedule(run, Duration.ofMinutes(1), Duration.ofHours(1), time);

        schedule.start();
        time.advanceTimeBy(Duration.ofSeconds(59));
        assertThat(runs).hasValue(0);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(runs).hasValue(1);
        time.advanceTimeBy(Duration.ofHours(3));
        assertThat(runs).hasValue(4);

        schedule.stop();
        time.advanceTimeBy(Duration.ofHours(5));
        assertThat(runs).hasValue(4);
        assertThat(schedule.isRunning()).isFalse();
    }
}
