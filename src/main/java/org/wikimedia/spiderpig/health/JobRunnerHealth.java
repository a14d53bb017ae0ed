package org.wikimedia.spiderpig.health;

import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.wikimedia.spiderpig.runner.SubprocessLauncher;
import reactor.core.publisher.Mono;

/** The server can start a process the way it starts jobs. */
class JobRunnerHealth implements ReactiveHealthIndicator {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final SubprocessLauncher launcher;

    JobRunnerHealth(SubprocessLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Mono<Health> health() {
        return launcher.probe(PROBE_TIMEOUT)
                .then(Mono.fromSupplier(() -> Health.up().build()))
                .onErrorResume(e -> Mono.just(Health.down().withDetail("error", String.valueOf(e.getMessage())).build()));
    }
}
