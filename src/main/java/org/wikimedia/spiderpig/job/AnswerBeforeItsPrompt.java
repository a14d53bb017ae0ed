package org.wikimedia.spiderpig.job;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.runner.RunnerEvent;

/**
 * A re-attached job's answer to a prompt that its log never showed: a prompt is stored before it is logged and
 * can be answered in between, so a server that died then left the answer stored, and the log's spool mark before
 * the prompt. Reading on from there, the spool asks that prompt again; the answer waits for it, because written
 * to the command at once, the command's reply would join the prompt's partial line as it is read again, a line
 * the log has already and so drops whole. Held for the job's first prompt after the restart only.
 */
final class AnswerBeforeItsPrompt {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerBeforeItsPrompt.class);

    private final AtomicReference<Interaction> held = new AtomicReference<>();
    private volatile boolean promptSeen;

    void hold(Interaction answered) {
        held.set(answered);
    }

    /** The held answer if {@code asked} is its prompt asked again; the job's first prompt ends the wait either way. */
    Optional<Interaction> takeFor(RunnerEvent.Prompt asked) {
        if (promptSeen) {
            return Optional.empty();
        }
        promptSeen = true;
        Interaction answered = held.getAndSet(null);
        if (answered == null) {
            return Optional.empty();
        }
        if (answered.prompt().equals(asked.prompt()) && answered.kind().equals(asked.kind())) {
            return Optional.of(answered);
        }
        LOG.warn("job {}: its first prompt after the restart is not prompt {} asked again; that prompt's answer"
                + " stays unsent", answered.jobId(), answered.id());
        return Optional.empty();
    }

    /** The interaction as its opening would have logged it: not answered yet. */
    static Interaction asOpened(Interaction answered) {
        return new Interaction(answered.id(), answered.jobId(), answered.kind(), answered.prompt(), answered.choices(),
                answered.defaultChoice(), answered.openedAt(), null, null, null, null, null);
    }
}
