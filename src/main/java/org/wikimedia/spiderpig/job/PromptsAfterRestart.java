package org.wikimedia.spiderpig.job;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.InteractionAnswered;
import org.wikimedia.spiderpig.model.InteractionOpened;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A re-attached job's prompts, made to agree with its log before its spool is read on. A prompt is stored
 * before it is logged, so a crash in between leaves a pending prompt that no one was shown and whose spool
 * mark was not kept: the spool asks it again, so that one is closed. An answer is stored, then logged, then
 * written to the command: an answer whose logging a crash cut short is logged now (once: from then on the
 * log has it), and every answered prompt's answer is sent again (the supervisor writes each answer id
 * once). The job's last prompt, answered but neither opened nor answered in the log (someone answered it
 * between its storing and its logging), is the one the spool asks again: its answer waits for that
 * ({@link AnswerBeforeItsPrompt}). A job left "awaiting input" (in its record or its log) with nothing pending
 * is running again.
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

    /** What the end of the log says about prompts. */
    private static final class Logged {
        final Set<Long> opened = new HashSet<>();
        final Set<Long> answered = new HashSet<>();
        JobState lastState;
        Instant lastTs;

        Logged add(JobEvent event) {
            lastTs = event.ts();
            if (event.payload() instanceof InteractionOpened open) {
                opened.add(open.interaction().id());
            } else if (event.payload() instanceof InteractionAnswered answer) {
                answered.add(answer.interaction().id());
            } else if (event.payload() instanceof StateChanged state) {
                lastState = state.state();
            }
            return this;
        }

        /**
         * Neither its opening nor its answer is in the log, and it was stored after the log's last event (a prompt
         * is stored once the output before it is logged): a crash came between its storing and its logging. Not
         * one answered so long ago that both left the searched part of the log: a command asking the same again
         * must not get that answer.
         */
        boolean answeredBeforeShown(Interaction interaction) {
            return interaction.response() != null && !opened.contains(interaction.id())
                    && !answered.contains(interaction.id())
                    && (lastTs == null || !interaction.openedAt().isBefore(lastTs));
        }

        /** Its opening is in the searched part of the log, so its answer would be too. */
        boolean lacksAnswer(Interaction interaction) {
            return interaction.response() != null && opened.contains(interaction.id())
                    && !answered.contains(interaction.id());
        }
    }

    /**
     * What the job's command is to be given: {@code sendAgain}, the answers to send again now; {@code
     * askedAgain}, if not null, the answer that waits for its prompt to be asked again.
     */
    record Answers(List<Interaction> sendAgain, Interaction askedAgain) {
    }

    /** Reconciles; answers with the answers of the job's answered prompts. */
    Mono<Answers> reconcile() {
        return logEnd().zipWith(prompts.ofJob(job.id()).collectList()).flatMap(found -> {
            Logged logged = found.getT1();
            List<Interaction> all = found.getT2();
            List<Interaction> pending = all.stream().filter(Interaction::pending).toList();
            boolean neverShown = !pending.isEmpty() && pending.stream().noneMatch(p -> logged.opened.contains(p.id()));
            boolean waiting = !pending.isEmpty() && !neverShown;
            Mono<Void> close = neverShown ? prompts.closePending(job.id(), CLOSED_REASON) : Mono.empty();
            Mono<Void> answersLogged = Flux.fromIterable(all).filter(logged::lacksAnswer)
                    .concatMap(answered -> logAnswer(log, answered))
                    .then();
            boolean recordWaits = job.state() == JobState.AWAITING_INPUT;
            Mono<Void> running = waiting || !recordWaits && logged.lastState != JobState.AWAITING_INPUT ? Mono.empty()
                    : (recordWaits ? store.updateActiveState(job.id(), JobState.RUNNING) : Mono.<Void>empty())
                            .then(log.append(new StateChanged(JobState.RUNNING, null))).then();
            Interaction last = all.isEmpty() ? null : all.get(all.size() - 1);
            Interaction askedAgain = last != null && logged.answeredBeforeShown(last) ? last : null;
            List<Interaction> sendAgain = all.stream().filter(i -> i.response() != null && i != askedAgain).toList();
            return close.then(answersLogged).then(running).thenReturn(new Answers(sendAgain, askedAgain));
        });
    }

    /** Logs a stored answer as its answering would have: the event, then who answered what. */
    static Mono<Void> logAnswer(JobEventLog log, Interaction answered) {
        return log.append(new InteractionAnswered(answered)).then(log.append(Prompts.answerLine(answered))).then();
    }

    private Mono<Logged> logEnd() {
        long last = log.lastSeq();
        long from = Math.max(0, last - SEARCHED_EVENTS);
        if (last == 0) {
            return Mono.just(new Logged());
        }
        return log.follow(from).take(last - from).reduceWith(Logged::new, Logged::add);
    }
}
