package org.wikimedia.spiderpig.gerrit;

import java.util.List;
import org.wikimedia.spiderpig.model.ChangeDetails;
import org.wikimedia.spiderpig.simulator.SimulatedChanges;
import reactor.core.publisher.Mono;

/**
 * Believable change details without a Gerrit, for the built-in simulator: every change number is a change
 * (made up from the number, always the same, as the simulated scap prints it), except {@value #UNKNOWN},
 * which Gerrit "does not know".
 */
public class SimulatedGerrit implements ChangeDetailsSource {

    public static final String UNKNOWN = "404";

    private static final List<String> STATUSES = List.of("MERGED", "MERGED", "NEW");

    private final String webUrl;

    public SimulatedGerrit(String webUrl) {
        this.webUrl = webUrl;
    }

    @Override
    public Mono<ChangeDetails> fetch(String number) {
        if (UNKNOWN.equals(number)) {
            return Mono.error(ChangeDetailsSource.unknownChange(number));
        }
        long n = Long.parseLong(number);
        String project = SimulatedChanges.projectOf(number);
        String subject = SimulatedChanges.subjectOf(number);
        String branch = SimulatedChanges.branchOf(number);
        String message = subject + "\n\n"
                + "Seen in production after the last train, see https://logstash.wikimedia.org/goto/" + (n * 7919 % 100000)
                + "\n\nBug: T" + (300000 + n % 99999) + "\n"
                + "Change-Id: I" + String.format("%040x", n * 2654435761L) + "\n";
        return Mono.just(new ChangeDetails(number, project, branch, subject, STATUSES.get((int) (n % STATUSES.size())),
                message, webUrl + "/c/" + project + "/+/" + number, null));
    }
}
