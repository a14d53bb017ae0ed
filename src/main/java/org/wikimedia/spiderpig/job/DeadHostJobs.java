package org.wikimedia.spiderpig.job;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Mono;

/**
 * Ends a job whose host stopped answering: no instance there renews its group's queue, so the job is recorded as
 * {@code interrupted} with the reason, its prompt closed, and its group's queue moves on. Its process, if the host
 * is still up somewhere, is beyond reach from here.
 */
class DeadHostJobs {

    private static final Logger LOG = LoggerFactory.getLogger(DeadHostJobs.class);

    private final JobStore store;
    private final JobEventLogs logs;
    private final Prompts prompts;
    private final JobChanges changes;
    private final JobViews views;
    private final Clock clock;

    DeadHostJobs(JobStore store, JobEventLogs logs, Prompts prompts, JobChanges changes, JobViews views, Clock clock) {
        this.store = store;
        this.logs = logs;
        this.prompts = prompts;
        this.changes = changes;
        this.views = views;
        this.clock = clock;
    }

    static String reason(String host, Instant lastSeen) {
        return "its host " + host + (lastSeen == null ? " never answered" : " stopped answering at " + lastSeen);
    }

    /** {@code lastSeen}: the host's last heartbeat, null when it never gave one. */
    Mono<Void> interrupt(Job job, String host, Instant lastSeen) {
        String reason = reason(host, lastSeen);
        LOG.warn("job {} is marked interrupted: {}", job.id(), reason);
        JobEventLog log = logs.forJob(job.id());
        return prompts.closePending(job.id(), "The job's host stopped answering")
                .then(store.finish(job.id(), JobState.INTERRUPTED, null, clock.instant(), reason))
                .flatMap(interrupted -> log.append(OutputLine.unnumbered(OutputLine.Stream.STDERR,
                                "[spiderpig] The job was marked interrupted: " + reason, false))
                        .then(log.append(new StateChanged(JobState.INTERRUPTED, null)))
                        .then(log.append(new JobEnded(JobState.INTERRUPTED, null)))
                        .then(views.full(job.id()))
                        .doOnNext(view -> changes.publish(new JobChange(JobChange.Kind.FINISHED, view, null))))
                .then();
    }
}
