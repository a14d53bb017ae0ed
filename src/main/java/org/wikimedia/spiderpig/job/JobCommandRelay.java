package org.wikimedia.spiderpig.job;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.wikimedia.spiderpig.security.SpiderPigUser;
import org.wikimedia.spiderpig.store.JobCommandStore;
import org.wikimedia.spiderpig.store.JobCommandStore.JobCommand;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Carries out the commands other instances accepted for the jobs running here ({@link RemoteJobs}): looks for
 * them every poll interval while this instance runs a job, and at once on {@link #wake()}. Each command is
 * claimed by a conditional write first, so it reaches the job's supervisor once, whichever instance looks.
 */
public class JobCommandRelay implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(JobCommandRelay.class);

    private final ActiveJobs active;
    private final JobService jobs;
    private final JobCommandStore commands;
    private final Clock clock;
    private final Sinks.Many<Long> wakeUps = Sinks.many().multicast().directBestEffort();
    private final PeriodicWork polling;

    JobCommandRelay(ActiveJobs active, JobService jobs, JobCommandStore commands, Duration interval, Clock clock) {
        this.active = active;
        this.jobs = jobs;
        this.commands = commands;
        this.clock = clock;
        // Woken as soon as another instance adds a command (where the store tells), polling in case it did not.
        this.polling = new PeriodicWork("job-commands", interval, Flux.merge(wakeUps.asFlux(), commands.added()),
                () -> !active.all().isEmpty(), this::carryOut);
    }

    /** Looks for commands now (for a notification from the database that one was added). */
    public void wake() {
        wakeUps.tryEmitNext(0L);
    }

    /** Carries out every command waiting for the jobs running here, oldest first. */
    Mono<Void> carryOut() {
        List<Long> running = active.all().stream().map(execution -> execution.job().id()).toList();
        return commands.pending(running)
                .concatMap(command -> commands.claim(command.id(), clock.instant())
                        .filter(Boolean::booleanValue)
                        .flatMap(claimed -> execute(command).onErrorResume(e -> {
                            LOG.warn("job {}: could not carry out the {} another instance passed on", command.jobId(),
                                    command.kind(), e);
                            return Mono.empty();
                        })))
                .then();
    }

    private Mono<Void> execute(JobCommand command) {
        long jobId = command.jobId();
        var payload = command.payload();
        return switch (command.kind()) {
            case RemoteJobs.ANSWER -> active.answer(jobId, Long.parseLong(payload.get("interaction")), payload.get("response"));
            case RemoteJobs.CANCEL -> jobs.cancel(jobId, user(payload.get("by"))).then();
            case RemoteJobs.SIGNAL -> jobs.signal(jobId, payload.get("signal"), user(payload.get("by"))).then();
            default -> Mono.error(new IllegalArgumentException("unknown job command " + command.kind()));
        };
    }

    /** Whoever it was, the instance that accepted the command checked they may; here only their name is logged. */
    private static SpiderPigUser user(String name) {
        return new SpiderPigUser(name, Set.of());
    }

    @Override
    public void start() {
        polling.start();
    }

    @Override
    public void stop() {
        polling.stop();
    }

    @Override
    public boolean isRunning() {
        return polling.running();
    }
}
