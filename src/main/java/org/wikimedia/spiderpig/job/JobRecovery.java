package org.wikimedia.spiderpig.job;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.runner.ProcessGroups;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * At startup: jobs that a previous server process left running or waiting for an answer are re-attached
 * to (their supervisors ran them on; their logs continue from where they were, and a job that ended while
 * no server was there gets its real end). A job whose process cannot be found (it never started under a
 * supervisor) becomes {@code interrupted}: its process group ended if still alive, its prompts closed, its
 * log kept. Then queued jobs start, never beside a re-attached job of their group.
 */
public class JobRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(JobRecovery.class);
    static final String REASON = "The SpiderPig server stopped while this job was running; "
            + "it was marked interrupted when the server started again.";

    private final JobStore store;
    private final JobEventLogs logs;
    private final Prompts prompts;
    private final JobQueue queue;
    private final Scheduler processControl;
    private final Duration terminateGrace;
    private final Clock clock;

    public JobRecovery(JobStore store, JobEventLogs logs, Prompts prompts, JobQueue queue, Scheduler processControl,
                       Duration terminateGrace, Clock clock) {
        this.store = store;
        this.logs = logs;
        this.prompts = prompts;
        this.queue = queue;
        this.processControl = processControl;
        this.terminateGrace = terminateGrace;
        this.clock = clock;
    }

    public Mono<Void> recover() {
        return store.inStates(JobState.ACTIVE)
                .concatMap(job -> queue.resume(job)
                        .onErrorResume(e -> {
                            LOG.error("job {}: could not re-attach to it", job.id(), e);
                            return Mono.just(false);
                        })
                        .flatMap(resumed -> resumed ? Mono.<Void>empty() : interrupt(job)))
                .thenMany(store.inStates(Set.of(JobState.QUEUED)))
                .map(Job::concurrencyGroup)
                .distinct()
                .doOnNext(queue::poke)
                .then();
    }

    private Mono<Void> interrupt(Job job) {
        LOG.warn("job {} was left {} by a previous server process; marking it interrupted", job.id(), job.state().wireName());
        JobEventLog log = logs.forJob(job.id());
        Mono<Void> endProcessGroup = job.pid() == null ? Mono.empty()
                : Mono.fromRunnable(() -> ProcessGroups.terminateIfAlive(job.pid(), job.ioKey(), terminateGrace))
                        .subscribeOn(processControl).then();
        return endProcessGroup
                .then(prompts.closePending(job.id(), "The server restarted while this prompt was pending"))
                .then(store.finish(job.id(), JobState.INTERRUPTED, null, clock.instant(), REASON))
                .flatMap(interrupted -> log.append(OutputLine.unnumbered(OutputLine.Stream.STDERR, "[spiderpig] " + REASON, false))
                        .then(log.append(new StateChanged(JobState.INTERRUPTED, null)))
                        .then(log.append(new JobEnded(JobState.INTERRUPTED, null))))
                .then();
    }

}
