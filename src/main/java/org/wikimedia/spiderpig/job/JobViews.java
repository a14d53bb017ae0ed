package org.wikimedia.spiderpig.job;

import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.masking.EventMasker;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Mono;

/**
 * Builds the API's view of a job from its record, its pending prompt and its event log. The status text
 * and the prompt come from the subprocess, so they are masked like its output.
 */
public class JobViews {

    private final JobStore jobs;
    private final InteractionStore interactions;
    private final JobEventLogs logs;
    private final EventMasker masker;

    public JobViews(JobStore jobs, InteractionStore interactions, JobEventLogs logs, EventMasker masker) {
        this.jobs = jobs;
        this.interactions = interactions;
        this.logs = logs;
        this.masker = masker;
    }

    /** The job with its pending prompt and log position; a 404 problem when there is no such job. */
    public Mono<JobView> full(long id) {
        return jobs.find(id)
                .switchIfEmpty(Mono.error(() -> JobService.noSuchJob(id)))
                .flatMap(this::full);
    }

    public Mono<JobView> full(Job job) {
        return logs.open(job.id()).flatMap(log -> view(job, log.lastSeq(), log.lineCount()));
    }

    /** For lists: the record and its pending prompt, without touching its log. */
    public Mono<JobView> brief(Job job) {
        return view(job, null, null);
    }

    private Mono<JobView> view(Job job, Long lastSeq, Long lineCount) {
        Job masked = job.status() == null ? job : job.withStatus(masker.redact(job.status()));
        Mono<Interaction> pending = job.state() == JobState.AWAITING_INPUT
                ? interactions.pendingForJob(job.id()).map(masker::mask)
                : Mono.empty();
        return pending.map(prompt -> JobView.of(masked, prompt, lastSeq, lineCount))
                .defaultIfEmpty(JobView.of(masked, null, lastSeq, lineCount));
    }
}
