package org.wikimedia.spiderpig.job;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.InteractionOpened;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Mono;

/**
 * A re-attached job's prompts, made to agree with its log before its spool is read on. A prompt is stored
 * before it is logged, so a crash in between leaves a pending prompt that no one was shown and whose spool
 * mark was not kept: the spool asks it again, so that one is closed. An answer is stored before it is
 * written to the command, so every answered prompt's answer is sent again (the supervisor writes each
 * answer id once). A job left "awaiting input" with nothing pending is running again.
 */
final class PromptsAfterRestart {

    /** How far back the log is searched for a pending prompt's opening: a prompt is among a job's last events. */
    private static final long SEARCHED_EVENTS = 10_000;
    static final String CLOSED_REASON = "The server restarted before this prompt was shown; the job asks it again";

    private final Job job;
    private final JobEventLog log;
    private final Prompts prompts;
    private final JobStore store;

    PromptsAfterRestart(Job job, JobEventLog log, Prompts prompts, JobStore store) {
        this.job = job;
        this.log = log;
        this.prompts = prompts;
        this.store = store;
    }

    /** Reconciles; answers the job's answered prompts, whose answers are to be sent again. */
    Mono<List<Interaction>> reconcile() {
        return loggedPrompts().zipWith(prompts.ofJob(job.id()).collectList()).flatMap(found -> {
            Set<Long> logged = found.getT1();
            List<Interaction> all = found.getT2();
            List<Interaction> pending = all.stream().filter(Interaction::pending).toList();
            boolean neverShown = !pending.isEmpty() && pending.stream().noneMatch(p -> logged.contains(p.id()));
            boolean waiting = !pending.isEmpty() && !neverShown;
            Mono<Void> close = neverShown ? prompts.closePending(job.id(), CLOSED_REASON) : Mono.empty();
            Mono<Void> running = waiting || job.state() != JobState.AWAITING_INPUT ? Mono.empty()
                    : store.updateActiveState(job.id(), JobState.RUNNING)
                            .then(log.append(new StateChanged(JobState.RUNNING, null))).then();
            List<Interaction> answered = all.stream().filter(i -> i.response() != null).toList();
            return close.then(running).thenReturn(answered);
        });
    }

    private Mono<Set<Long>> loggedPrompts() {
        long last = log.lastSeq();
        long from = Math.max(0, last - SEARCHED_EVENTS);
        if (last == 0) {
            return Mono.just(Set.of());
        }
        return log.follow(from).take(last - from)
                .filter(event -> event.payload() instanceof InteractionOpened)
                .map(event -> ((InteractionOpened) event.payload()).interaction().id())
                .collect(Collectors.toSet());
    }
}
