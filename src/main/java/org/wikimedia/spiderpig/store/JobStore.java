package org.wikimedia.spiderpig.store;

import java.time.Instant;
import java.util.Collection;
import org.wikimedia.spiderpig.model.ChangeDetails;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.Progress;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where job records live. Conditional updates answer whether they applied, so races are decided here. */
public interface JobStore {

    /** Stores a new queued job; the store gives it the next id, never reused. */
    Mono<Job> create(NewJob job);

    Mono<Job> find(long id);

    /** Newest first, ids below {@code beforeId} when it is not null. */
    Flux<Job> page(int limit, Long beforeId);

    /** Oldest first. */
    Flux<Job> inStates(Collection<JobState> states);

    /** queued → running; empty when the job was no longer queued (e.g. cancelled meanwhile). */
    Mono<Job> markStarted(long id, Instant at);

    Mono<Void> recordProcess(long id, long pid, String ioKey);

    /** Between running and awaiting-input; never leaves a final state. */
    Mono<Void> updateActiveState(long id, JobState state);

    /**
     * A new status is a new step: the progress recorded so far was the last step's and is cleared with it, so
     * that no page shows "Sync k8s canaries" over the bar of "sync-testservers 100%".
     */
    Mono<Void> updateStatus(long id, String status);

    Mono<Void> updateProgress(long id, Progress progress);

    Mono<Void> recordCancelRequest(long id, String by);

    /** queued → cancelled, recording who; empty when the job was no longer queued (it started meanwhile). */
    Mono<Job> cancelQueued(long id, String by, Instant at);

    /** Moves a job to a final state; empty when it already was in one. */
    Mono<Job> finish(long id, JobState state, Integer exitCode, Instant at, String reason);

    /**
     * Jobs in a final state except the newest {@code keepNewest} of them, oldest first: all that retention may
     * consider removing.
     */
    Flux<Job> finishedBeyondNewest(int keepNewest);

    /**
     * Deletes a job and its prompts in one conditional write, only while the job is in a final state; false when
     * it was not (or no longer existed).
     */
    Mono<Boolean> deleteIfFinished(long id);

    /** A job being created: who asked what, and (both optional) the job it repeats and its changes' details. */
    record NewJob(
            String command,
            java.util.Map<String, java.util.List<String>> parameters,
            String description,
            String owner,
            String concurrencyGroup,
            Instant createdAt,
            Long retryOf,
            java.util.List<ChangeDetails> changes) {

        public NewJob(String command, java.util.Map<String, java.util.List<String>> parameters, String description,
                      String owner, String concurrencyGroup, Instant createdAt) {
            this(command, parameters, description, owner, concurrencyGroup, createdAt, null, java.util.List.of());
        }
    }
}
