package org.wikimedia.spiderpig.interaction;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.job.ActiveJobs;
import org.wikimedia.spiderpig.job.JobChange;
import org.wikimedia.spiderpig.job.JobChanges;
import org.wikimedia.spiderpig.job.JobViews;
import org.wikimedia.spiderpig.job.Prompts;
import org.wikimedia.spiderpig.metrics.PromptMetrics;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.InteractionAnswered;
import org.wikimedia.spiderpig.model.InteractionClosed;
import org.wikimedia.spiderpig.model.InteractionOpened;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.runner.RunnerEvent;
import org.wikimedia.spiderpig.security.SpiderPigUser;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Prompts from jobs and the answers to them. The race between answers is decided by one conditional
 * write in the store; only the winner's answer is written to the subprocess, once.
 */
public class InteractionService implements Prompts {

    static final int MAX_INPUT_LINE_BYTES = 4096;

    private final InteractionStore interactions;
    private final JobStore jobs;
    private final JobEventLogs logs;
    private final ActiveJobs active;
    private final JobChanges changes;
    private final JobViews views;
    private final PromptMetrics metrics;
    private final Clock clock;

    public InteractionService(InteractionStore interactions, JobStore jobs, JobEventLogs logs, ActiveJobs active,
                              JobChanges changes, JobViews views, PromptMetrics metrics, Clock clock) {
        this.interactions = interactions;
        this.jobs = jobs;
        this.logs = logs;
        this.active = active;
        this.changes = changes;
        this.views = views;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Mono<Void> open(Job job, RunnerEvent.Prompt prompt, SpoolMark mark) {
        JobEventLog log = logs.forJob(job.id());
        Map<String, String> choices = prompt.choices() == null ? Map.of() : new LinkedHashMap<>(prompt.choices());
        return interactions.open(job.id(), prompt.kind(), prompt.prompt(), choices, prompt.defaultKey(), clock.instant())
                .flatMap(opened -> jobs.updateActiveState(job.id(), JobState.AWAITING_INPUT)
                        .then(log.append(new InteractionOpened(opened), mark))
                        .then(log.append(new StateChanged(JobState.AWAITING_INPUT, null)))
                        .then(announce(JobChange.Kind.INTERACTION, opened)));
    }

    @Override
    public Mono<Void> closePending(long jobId, String reason) {
        JobEventLog log = logs.forJob(jobId);
        return interactions.closePending(jobId, reason, clock.instant())
                .concatMap(closed -> log.append(new InteractionClosed(closed)))
                .then();
    }

    @Override
    public Flux<Interaction> ofJob(long jobId) {
        return interactions.forJob(jobId);
    }

    public Flux<Interaction> list(long jobId) {
        return requireJob(jobId).thenMany(interactions.forJob(jobId));
    }

    /** The interaction, if it belongs to that job; otherwise a 404. */
    public Mono<Interaction> get(long jobId, long interactionId) {
        return requireJob(jobId)
                .then(interactions.find(interactionId))
                .filter(found -> found.jobId() == jobId)
                .switchIfEmpty(Mono.error(() -> Problem.notFound(
                        "Job " + jobId + " has no interaction " + interactionId + ".")));
    }

    /**
     * Answers a pending prompt. The first valid answer wins; every later one is a 409 naming the winner.
     */
    public Mono<Interaction> answer(long jobId, long interactionId, String response, SpiderPigUser user) {
        return get(jobId, interactionId)
                .flatMap(interaction -> {
                    if (!interaction.pending()) {
                        return Mono.error(refused(interaction));
                    }
                    validate(interaction, response);
                    return interactions.answer(interactionId, response, user.name(), clock.instant())
                            .flatMap(won -> won
                                    ? deliver(interactionId, response)
                                    : interactions.find(interactionId).flatMap(lost -> Mono.error(refused(lost))));
                });
    }

    private Mono<Interaction> deliver(long interactionId, String response) {
        return interactions.find(interactionId).flatMap(answered -> {
            long jobId = answered.jobId();
            metrics.answered(Duration.between(answered.openedAt(), answered.answeredAt()));
            JobEventLog log = logs.forJob(jobId);
            // The answer is logged before it reaches the subprocess, so that the log never shows the
            // subprocess reacting to an answer it has not recorded yet.
            return log.append(new InteractionAnswered(answered))
                    .then(log.append(Prompts.answerLine(answered)))
                    .then(jobs.updateActiveState(jobId, JobState.RUNNING))
                    .then(log.append(new StateChanged(JobState.RUNNING, null)))
                    .then(active.answer(jobId, answered.id(), response))
                    .then(announce(JobChange.Kind.INTERACTION_ANSWERED, answered))
                    .thenReturn(answered);
        });
    }

    private Mono<Void> announce(JobChange.Kind kind, Interaction interaction) {
        return views.full(interaction.jobId())
                .doOnNext(view -> changes.publish(new JobChange(kind, view, interaction)))
                .then();
    }

    private Mono<Job> requireJob(long jobId) {
        return jobs.find(jobId).switchIfEmpty(Mono.error(() -> Problem.notFound("There is no job " + jobId + ".")));
    }

    private static void validate(Interaction interaction, String response) {
        if (response == null) {
            throw new Problem(400, "invalid-response", "Invalid response", "The answer needs a \"response\".");
        }
        if (Interaction.CHOICES.equals(interaction.kind())) {
            List<String> keys = List.copyOf(interaction.choices().values());
            if (!keys.contains(response)) {
                throw new Problem(400, "invalid-response", "Invalid response",
                        "\"" + response + "\" is not one of this prompt's answers: " + String.join(", ", keys) + ".",
                        Map.of("validResponses", keys));
            }
        } else if (response.indexOf('\n') >= 0 || response.indexOf('\r') >= 0) {
            throw new Problem(400, "invalid-response", "Invalid response", "The answer must be a single line.");
        } else if (response.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_INPUT_LINE_BYTES) {
            throw new Problem(400, "invalid-response", "Invalid response",
                    "The answer is longer than " + MAX_INPUT_LINE_BYTES + " bytes.");
        }
    }

    private Problem refused(Interaction interaction) {
        Problem problem = notPending(interaction);
        metrics.refused(problem.type());
        return problem;
    }

    private static Problem notPending(Interaction interaction) {
        if (interaction.response() != null) {
            Map<String, Object> winner = new LinkedHashMap<>();
            winner.put("answeredBy", interaction.answeredBy());
            winner.put("response", interaction.response());
            winner.put("answeredAt", interaction.answeredAt().toString());
            return new Problem(409, "already-answered", "Already answered",
                    interaction.answeredBy() + " already answered \"" + interaction.response() + "\" at "
                            + interaction.answeredAt() + ".", winner);
        }
        return new Problem(409, "interaction-closed", "Prompt closed",
                "This prompt was closed without an answer: " + interaction.closedReason() + ".",
                Map.of("closedReason", String.valueOf(interaction.closedReason())));
    }
}
