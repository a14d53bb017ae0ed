package org.wikimedia.spiderpig.job;

import org.wikimedia.spiderpig.log.JobEventLogs;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Mono;

/** Builds the API's view of a job from its record, its pending prompt and its event log. */
public class JobViews {

    private final JobStore jobs;
    private final InteractionStore interactions;
    private final JobEventLogs logs;

    public JobViews(JobStore jobs, InteractionStore interactions, JobEventLogs logs) {
        this.jobs = jobs;
        this.interactions = interactions;
        this.logs = logs;
    }

    /** The job with its pending prompt and log position; a 404 problem when there is no such job. */
    public Mono<JobView> full(long id) {
        return jobs.find(id)
                .switchIfEmpty(Mono.error(() -> JobService.noSuchJob(id)))
                .flatMap(this::full);
    }

    public Mono<JobView> full(Job job) {
        return logs.open(job.id()).flatMap(log -> pending(job)
                .map(pending -> JobView.of(job, pending, log.lastSeq(), log.lineCount()))
                .defaultIfEmpty(JobView.of(job, null, log.lastSeq(), log.lineCount())));
    }

    /** For lists: the record and its pending prompt, without touching its log. */
    public Mono<JobView> brief(Job job) {
        return pending(job).map(pending -> JobView.of(job, pending, null, null))
                .defaultIfEmpty(JobView.of(job, null, null, null));
    }

    private Mono<org.wikimedia.spiderpig.event.InteractionView> pending(Job job) {
        return job.state() == JobState.AWAITING_INPUT ? interactions.pendingForJob(job.id()) : Mono.empty();
    }
}
