package org.wikimedia.spiderpig.simulator;

import java.util.Map;
import org.wikimedia.spiderpig.model.Progress;

/** How a simulated command talks to whoever runs it: the SpiderPig I/O protocol, or plain text. */
interface Console {

    void line(String text, boolean sensitive);

    default void line(String text) {
        line(text, false);
    }

    /** Sets (or with null clears) the one-line status of the job. */
    void status(String status);

    void progress(Progress progress);

    /**
     * Asks a question with choices (label to key, in order). Answers the chosen key, the default for an
     * empty answer, or null when nobody can answer any more (stdin closed).
     */
    String choose(String prompt, Map<String, String> choices, String defaultKey);
}
