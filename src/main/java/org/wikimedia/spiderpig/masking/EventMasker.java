package org.wikimedia.spiderpig.masking;

import org.wikimedia.spiderpig.model.EventPayload;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.InteractionAnswered;
import org.wikimedia.spiderpig.model.InteractionClosed;
import org.wikimedia.spiderpig.model.InteractionOpened;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.StatusChanged;

/**
 * The masked view of events, applied to every read before it leaves the server. A sensitive output line
 * keeps its number and {@code sensitive:true} but its text becomes {@value #SENSITIVE_TEXT}; in every
 * other text that a subprocess or a user typed (lines, status, prompts, answers) secrets are redacted.
 * Events are immutable records, so masking returns new ones and the log is never changed.
 */
public final class EventMasker {

    public static final String SENSITIVE_TEXT = "[sensitive output hidden]";

    private final SecretPatterns secrets;

    public EventMasker(SecretPatterns secrets) {
        this.secrets = secrets;
    }

    public static EventMasker withDefaults() {
        return new EventMasker(SecretPatterns.defaults());
    }

    public JobEvent mask(JobEvent event) {
        EventPayload masked = mask(event.payload());
        return masked == event.payload() ? event : new JobEvent(event.jobId(), event.seq(), event.ts(), masked);
    }

    public EventPayload mask(EventPayload payload) {
        if (payload instanceof OutputLine line) {
            return mask(line);
        }
        if (payload instanceof StatusChanged status) {
            String text = secrets.redact(status.status());
            return same(text, status.status()) ? status : new StatusChanged(text);
        }
        if (payload instanceof InteractionOpened opened) {
            Interaction view = mask(opened.interaction());
            return view == opened.interaction() ? opened : new InteractionOpened(view);
        }
        if (payload instanceof InteractionAnswered answered) {
            Interaction view = mask(answered.interaction());
            return view == answered.interaction() ? answered : new InteractionAnswered(view);
        }
        if (payload instanceof InteractionClosed closed) {
            Interaction view = mask(closed.interaction());
            return view == closed.interaction() ? closed : new InteractionClosed(view);
        }
        return payload;
    }

    public OutputLine mask(OutputLine line) {
        if (line.sensitive()) {
            return line.withText(SENSITIVE_TEXT);
        }
        String text = secrets.redact(line.text());
        return same(text, line.text()) ? line : line.withText(text);
    }

    /** Masks the text a user or the subprocess wrote: the prompt and the answer. */
    public Interaction mask(Interaction view) {
        if (view == null) {
            return null;
        }
        String prompt = secrets.redact(view.prompt());
        String response = secrets.redact(view.response());
        if (same(prompt, view.prompt()) && same(response, view.response())) {
            return view;
        }
        return new Interaction(view.id(), view.jobId(), view.kind(), prompt, view.choices(),
                view.defaultChoice(), view.openedAt(), response, view.answeredBy(), view.answeredAt(),
                view.closedReason(), view.closedAt());
    }

    /** Redacts secrets in any text (for callers that build their own answers). */
    public String redact(String text) {
        return secrets.redact(text);
    }

    private static boolean same(String masked, String original) {
        // redact returns the very same string when nothing matched.
        return masked == original;
    }
}
