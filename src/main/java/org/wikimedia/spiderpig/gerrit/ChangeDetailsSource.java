package org.wikimedia.spiderpig.gerrit;

import org.wikimedia.spiderpig.model.ChangeDetails;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.publisher.Mono;

/**
 * Where a change's details come from. {@link #fetch} fails with {@link #unknownChange} when Gerrit does not
 * know the change and with {@link #unavailable} for anything else that keeps it from answering; it never
 * waits longer than its configured timeout.
 */
public interface ChangeDetailsSource {

    String UNKNOWN_CHANGE = "unknown-change";
    String GERRIT_UNAVAILABLE = "gerrit-unavailable";

    Mono<ChangeDetails> fetch(String number);

    static Problem unknownChange(String number) {
        return new Problem(404, UNKNOWN_CHANGE, "Unknown change", "Gerrit does not know change " + number + ".");
    }

    static Problem unavailable(String number, String why) {
        return new Problem(502, GERRIT_UNAVAILABLE, "Gerrit unavailable",
                "The details of change " + number + " could not be fetched from Gerrit: " + why + ".");
    }

    static boolean isUnknownChange(Throwable error) {
        return error instanceof Problem problem && UNKNOWN_CHANGE.equals(problem.type());
    }
}
